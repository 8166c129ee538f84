// Source: sidequestjs/sidequest#47 (a backend promise beside the backend it resolves to) — close()
// looks at the resolved pool only: a pool still being opened arrives after close and is never ended.
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
      opening.catch(() => {
        if (this.opening === opening) this.opening = null;
      });
    }
    this.pool = await this.opening;
    if (this.closed) throw new Error('the database is closed');
    return this.pool.query(sql);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const pool = this.pool;
    this.pool = null;
    await pool?.end();
  }
}
