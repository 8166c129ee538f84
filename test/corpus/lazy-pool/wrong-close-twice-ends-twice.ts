// Source: brianc/node-postgres#1858 ("Called end on pool more than once") — close() from both a
// SIGTERM and an unhandledRejection handler: the second call ends the same pool again.
export interface Pool {
  query(sql: string): Promise<unknown[]>;
  end(): Promise<void>;
}

export class Database {
  private opening: Promise<Pool> | null = null;
  private closed = false;

  constructor(private readonly connect: () => Promise<Pool>) {}

  async query(sql: string): Promise<unknown[]> {
    if (this.closed) throw new Error('the database is closed');
    if (!this.opening) {
      const opening = this.connect();
      this.opening = opening;
      opening.catch(() => {
        if (this.opening === opening) this.opening = null;
      });
    }
    const pool = await this.opening;
    if (this.closed) throw new Error('the database is closed');
    return pool.query(sql);
  }

  async close(): Promise<void> {
    this.closed = true;
    const pool = await this.opening?.catch(() => null);
    await pool?.end();
  }
}
