/**
 * The database handle of a service: the connection pool is opened on first use (so the service
 * starts fast and a database that is briefly down at boot does not crash it) and ended on shutdown.
 */
export interface Pool {
  query(sql: string): Promise<unknown[]>;
  /** Closes every connection of the pool. */
  end(): Promise<void>;
}

export class Database {
  private pool: Pool | null = null;
  private closed = false;

  /** `connect` opens a new pool (its connections, TLS, authentication): slow, and it may fail. */
  constructor(private readonly connect: () => Promise<Pool>) {}

  /** Runs `sql`, opening the pool first if it is not open yet. */
  async query(sql: string): Promise<unknown[]> {
    if (this.closed) throw new Error('the database is closed');
    if (!this.pool) this.pool = await this.connect();
    return this.pool.query(sql);
  }

  /** Ends the pool, for a clean shutdown. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.pool) await this.pool.end();
    this.pool = null;
  }
}
