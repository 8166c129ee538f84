// A fencing token each server counts for itself: tokens do not grow across servers, so a later holder's
// token can be no larger than one the storage has seen, and it is refused though its lease is live.
// Source: Kleppmann ("a number that increases every time a client acquires the lock": one sequence for
// all clients); mlanett/redis-lock#20 (per-process identity taken for per-acquisition).
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
    const fence = this.runs;
    try {
      const claimed = await this.db.query<{ body: string }>(
        'UPDATE reports SET fence = $2 WHERE id = $1 AND fence < $2 RETURNING body',
        ['daily', fence],
      );
      if (claimed.rowCount === 0) return false;
      const report = await render(claimed.rows[0]!.body);
      const written = await this.db.query('UPDATE reports SET body = $2 WHERE id = $1 AND fence = $3', [
        'daily',
        report,
        fence,
      ]);
      return written.rowCount === 1;
    } finally {
      await this.redis.eval(RELEASE, 1, LOCK, token);
    }
  }
}
