// Right: the storage enforces exclusion itself: a transaction holds the report's row lock from the read
// to the write, so a newer holder's read waits for the older one's commit and sees its part. Source:
// the withdraw exercise's FOR UPDATE fix; Kleppmann ("the storage must take an active role").
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
      await this.db.query('BEGIN');
      try {
        const { rows } = await this.db.query<{ body: string }>(
          'SELECT body FROM reports WHERE id = $1 FOR UPDATE',
          ['daily'],
        );
        const report = await render(rows[0]!.body);
        await this.db.query('UPDATE reports SET body = $2 WHERE id = $1', ['daily', report]);
        await this.db.query('COMMIT');
        return true;
      } catch (error) {
        await this.db.query('ROLLBACK');
        throw error;
      }
    } finally {
      await this.redis.eval(RELEASE, 1, LOCK, token);
    }
  }
}
