// The fenced write is right, but run answers true whether or not the UPDATE matched a row: a refused
// run claims its part is in the report. Source: CURRICULUM §4.10 (002 never checks the affected row
// count); the inventory-version exercise's corpus has the same slip.
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
      const claimed = await this.db.query<{ fence: number; body: string }>(
        'UPDATE reports SET fence = fence + 1 WHERE id = $1 RETURNING fence, body',
        ['daily'],
      );
      const { fence, body } = claimed.rows[0]!;
      const report = await render(body);
      await this.db.query('UPDATE reports SET body = $2 WHERE id = $1 AND fence = $3', [
        'daily',
        report,
        fence,
      ]);
      return true;
    } finally {
      await this.redis.eval(RELEASE, 1, LOCK, token);
    }
  }
}
