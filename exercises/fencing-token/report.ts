/**
 * The daily sales report. A job on every server adds that server's part to it: the server that gets
 * the lock reads the report so far from PostgreSQL, renders its part onto it (a slow call), and
 * writes the result back. Each server runs its own copy of this module, with its own connection to
 * Redis and its own connection to PostgreSQL, where the report is one row:
 *
 *   CREATE TABLE reports (id text PRIMARY KEY, body text NOT NULL, fence integer NOT NULL DEFAULT 0);
 *   -- one row: ('daily', '', 0). The fence column is there for you to use.
 */

/**
 * One connection to Redis, in the style of the ioredis client: each method sends the command of its
 * name, with its arguments as Redis takes them, and resolves with Redis's reply (an error reply
 * rejects). `call(name, ...args)` sends any other command.
 */
export interface Redis {
  set(key: string, value: string, ...options: (string | number)[]): Promise<'OK' | null>;
  get(key: string): Promise<string | null>;
  incr(key: string): Promise<number>;
  pexpire(key: string, milliseconds: number): Promise<number>;
  eval(script: string, numkeys: number, ...keysAndArgs: (string | number)[]): Promise<unknown>;
  call(command: string, ...args: (string | number)[]): Promise<unknown>;
}

/** One connection (a session) to PostgreSQL. */
export interface Db {
  query<R = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number }>;
}

export interface ReportOptions {
  /** The lease of the lock, in ms. */
  ttlMs: number;
  /** A name no other server process has. */
  owner: string;
}

const LOCK = 'lock:report:daily';
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

export class ReportJob {
  private runs = 0;

  constructor(
    private readonly redis: Redis,
    private readonly db: Db,
    private readonly options: ReportOptions,
  ) {}

  /**
   * Adds this server's part to the daily report, holding the lock: `render` gets the report so far
   * and resolves with the report including this server's part. Answers whether that part was
   * written: false when another server holds the lock, or when this run's lease ran out and a
   * newer run got to the report first.
   */
  async run(render: (report: string) => Promise<string>): Promise<boolean> {
    const { ttlMs, owner } = this.options;
    const token = `${owner}:${++this.runs}`;
    if ((await this.redis.set(LOCK, token, 'NX', 'PX', ttlMs)) !== 'OK') return false;
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
