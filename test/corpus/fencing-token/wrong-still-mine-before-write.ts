// "Is the lock still mine?" right before the write: the lease can run out, and a newer holder write,
// between the GET and the UPDATE. Source: nextlyhq/nextly#777 review (the process is suspended between
// the readback and the work it protects); the notes' advice, corrected in CURRICULUM §4.8.
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
    if ((await this.redis.set(LOCK, token, 'NX', 'PX', this.options.ttlMs)) !== 'OK') return false;
    try {
      const { rows } = await this.db.query<{ body: string }>('SELECT body FROM reports WHERE id = $1', [
        'daily',
      ]);
      const report = await render(rows[0]!.body);
      if ((await this.redis.get(LOCK)) !== token) return false;
      await this.db.query('UPDATE reports SET body = $2 WHERE id = $1', ['daily', report]);
      return true;
    } finally {
      await this.redis.eval(RELEASE, 1, LOCK, token);
    }
  }
}
