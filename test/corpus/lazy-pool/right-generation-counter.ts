// Source: vercel/flags#473 (clear the cached promise when it rejects) and brianc/node-postgres#1858
// (end the pool once) — a shared pool promise tagged with a generation, so a late failure can only
// clear its own generation; close() runs once and ends whatever was opened.
export interface Pool {
  query(sql: string): Promise<unknown[]>;
  end(): Promise<void>;
}

export class Database {
  private generation = 0;
  private opening: { generation: number; pool: Promise<Pool> } | null = null;
  private shutdown: Promise<void> | null = null;

  constructor(private readonly connect: () => Promise<Pool>) {}

  async query(sql: string): Promise<unknown[]> {
    if (this.shutdown) throw new Error('the database is closed');
    if (!this.opening) {
      const generation = ++this.generation;
      const pool = this.connect();
      this.opening = { generation, pool };
      pool.catch(() => {
        if (this.opening?.generation === generation) this.opening = null;
      });
    }
    const pool = await this.opening.pool;
    if (this.shutdown) throw new Error('the database is closed');
    return pool.query(sql);
  }

  close(): Promise<void> {
    if (!this.shutdown) {
      const opening = this.opening;
      this.opening = null;
      this.shutdown = opening
        ? opening.pool.then(
            (pool) => pool.end(),
            () => undefined,
          )
        : Promise.resolve();
    }
    return this.shutdown;
  }
}
