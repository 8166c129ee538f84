// Right: the fence column as an optimistic version. The write lands only if nobody wrote since this
// run's read; the lock only keeps servers from rendering twice. Source: CURRICULUM E17 right (b) ("an
// OCC version on the row itself, so the lock is only an optimisation"); Kleppmann's conclusion.
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
      const { rows } = await this.db.query<{ body: string; fence: number }>(
        'SELECT body, fence FROM reports WHERE id = $1',
        ['daily'],
      );
      const read = rows[0]!;
      const report = await render(read.body);
      const written = await this.db.query(
        'UPDATE reports SET body = $2, fence = fence + 1 WHERE id = $1 AND fence = $3',
        ['daily', report, read.fence],
      );
      return written.rowCount === 1;
    } finally {
      await this.redis.eval(RELEASE, 1, LOCK, token);
    }
  }
}
