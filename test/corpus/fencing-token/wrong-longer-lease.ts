// A lease ten times longer, so the job "always" finishes in time: a pause only has to be longer too.
// Source: go-redsync/redsync#6 ("set a ridiculously large expiry"); sourcegraph-public-snapshot#54453
// ("increase lock expiry from 2x to 4x the sync interval").
export interface Redis {
  set(key: string, value: string, ...options: (string | number)[]): Promise<'OK' | null>;
  get(key: string): Promise<string | null>;
  incr(key: string): Promise<number>;
  pexpire(key: string, milliseconds: number): Promise<number>;
  eval(script: string, numkeys: number, ...keysAndArgs: (string | number)[]): Promise<unknown>;
  call(command: string, ...args: (string | number)[]): Promise<unknown>;
}

export interface Db {
  query<R = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number }>;
}

export interface ReportOptions {
  ttlMs: number;
  owner: string;
}

const LOCK = 'lock:report:daily';
const RELEASE =
  "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

export class ReportJob {
  private runs = 0;

  constructor(
    private readonly redis: Redis,
    private readonly db: Db,
    private readonly options: ReportOptions,
  ) {}

  async run(render: (report: string) => Promise<string>): Promise<boolean> {
    const token = `${this.options.owner}:${++this.runs}`;
    if ((await this.redis.set(LOCK, token, 'NX', 'PX', this.options.ttlMs * 10)) !== 'OK') return false;
    try {
      const { rows } = await this.db.query<{ body: string }>('SELECT body FROM reports WHERE id = $1', [
        'daily',
      ]);
      const report = await render(rows[0]!.body);
      await this.db.query('UPDATE reports SET body = $2 WHERE id = $1', ['daily', report]);
      return true;
    } finally {
      await this.redis.eval(RELEASE, 1, LOCK, token);
    }
  }
}
