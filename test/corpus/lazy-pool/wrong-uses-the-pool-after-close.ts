// Source: brianc/node-postgres#1670 ("Cannot use a pool after calling end on the pool") — close()
// ends an open pool at once, while a query that has already passed its check is still one await
// away from sending its SQL: the SQL reaches a pool that has ended.
export interface Pool {
  query(sql: string): Promise<unknown[]>;
  end(): Promise<void>;
}

export class Database {
  private opening: Promise<Pool> | null = null;
  private pool: Pool | null = null;
  private closed = false;

  constructor(private readonly connect: () => Promise<Pool>) {}

  async query(sql: string): Promise<unknown[]> {
    if (this.closed) throw new Error('the database is closed');
    if (!this.opening) {
      const opening = this.connect();
      this.opening = opening;
      opening.then(
        (pool) => {
          this.pool = pool;
        },
        () => {
          if (this.opening === opening) this.opening = null;
        },
      );
    }
    const pool = await this.opening;
    return pool.query(sql);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const { pool, opening } = this;
    this.pool = null;
    this.opening = null;
    if (pool) return pool.end();
    const late = await opening?.catch(() => null);
    await late?.end();
  }
}
