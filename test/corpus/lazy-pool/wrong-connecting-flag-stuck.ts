// Source: hazelcast/hazelcast#1747 (callers wait on a latch forever when the first connection fails)
// — a "connecting" flag that the failure path never clears: after one failed connect, every query
// polls forever.
export interface Pool {
  query(sql: string): Promise<unknown[]>;
  end(): Promise<void>;
}

export class Database {
  private pool: Pool | null = null;
  private connecting = false;
  private closed = false;

  constructor(private readonly connect: () => Promise<Pool>) {}

  async query(sql: string): Promise<unknown[]> {
    if (this.closed) throw new Error('the database is closed');
    while (this.connecting) await new Promise((resolve) => setTimeout(resolve, 10));
    if (!this.pool) {
      this.connecting = true;
      this.pool = await this.connect();
      this.connecting = false;
    }
    if (this.closed) throw new Error('the database is closed');
    return this.pool.query(sql);
  }

  async close(): Promise<void> {
    this.closed = true;
    while (this.connecting) await new Promise((resolve) => setTimeout(resolve, 10));
    const pool = this.pool;
    this.pool = null;
    await pool?.end();
  }
}
