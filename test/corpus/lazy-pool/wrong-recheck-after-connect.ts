// Source: typeorm/typeorm#1228 (concurrent first calls each create the connection) — checking again
// after the await keeps one pool, but both callers connected and the other pool is never ended.
export interface Pool {
  query(sql: string): Promise<unknown[]>;
  end(): Promise<void>;
}

export class Database {
  private pool: Pool | null = null;
  private closed = false;

  constructor(private readonly connect: () => Promise<Pool>) {}

  async query(sql: string): Promise<unknown[]> {
    if (this.closed) throw new Error('the database is closed');
    if (!this.pool) {
      const pool = await this.connect();
      if (!this.pool) this.pool = pool;
    }
    return this.pool.query(sql);
  }

  async close(): Promise<void> {
    this.closed = true;
    const pool = this.pool;
    this.pool = null;
    await pool?.end();
  }
}
