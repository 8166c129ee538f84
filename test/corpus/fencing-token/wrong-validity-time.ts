// Redlock's validity time: write only while the lease, counted on the local clock, has time left. The
// pause can come after the clock is read. Source: the Redlock algorithm's "validity time" step (the
// distlock page) and node-redlock; Kleppmann's critique of exactly this timing assumption.
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
    const started = Date.now();
    const token = `${this.options.owner}:${++this.runs}`;
    if ((await this.redis.set(LOCK, token, 'NX', 'PX', this.options.ttlMs)) !== 'OK') return false;
    try {
      const { rows } = await this.db.query<{ body: string }>('SELECT body FROM reports WHERE id = $1', [
        'daily',
      ]);
      const report = await render(rows[0]!.body);
      const drift = Math.ceil(this.options.ttlMs * 0.01) + 2;
      if (Date.now() - started >= this.options.ttlMs - drift) return false;
      await this.db.query('UPDATE reports SET body = $2 WHERE id = $1', ['daily', report]);
      return true;
    } finally {
      await this.redis.eval(RELEASE, 1, LOCK, token);
    }
  }
}
