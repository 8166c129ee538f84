// The textbook fencing token, checked only on the write: a token from INCR, taken with the lock in one
// script, and UPDATE … WHERE fence < token. But the read is not fenced: a newer holder that read before
// the old holder's write lands overwrites it, and the old holder had answered true. Source: Kleppmann's
// "How to do distributed locking" (write-only fencing, for a resource written whole) applied to a
// read-modify-write; ORESoftware/live-mutex#106.
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
const ACQUIRE =
  "if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return redis.call('INCR', KEYS[2]) end return 0";

export class ReportJob {
  private runs = 0;

  constructor(
    private readonly redis: Redis,
    private readonly db: Db,
    private readonly options: ReportOptions,
  ) {}

  async run(render: (report: string) => Promise<string>): Promise<boolean> {
    const token = `${this.options.owner}:${++this.runs}`;
    const fence = Number(
      await this.redis.eval(ACQUIRE, 2, LOCK, 'fence:report:daily', token, this.options.ttlMs),
    );
    if (fence === 0) return false;
    try {
      const { rows } = await this.db.query<{ body: string }>('SELECT body FROM reports WHERE id = $1', [
        'daily',
      ]);
      const report = await render(rows[0]!.body);
      const written = await this.db.query(
        'UPDATE reports SET body = $2, fence = $3 WHERE id = $1 AND fence < $3',
        ['daily', report, fence],
      );
      return written.rowCount === 1;
    } finally {
      await this.redis.eval(RELEASE, 1, LOCK, token);
    }
  }
}
