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
  /** The pool, open or being opened: every caller shares this one promise. */
  private opening: Promise<Pool> | null = null;
  private closing: Promise<void> | null = null;

  /** `connect` opens a new pool (its connections, TLS, authentication): slow, and it may fail. */
  constructor(private readonly connect: () => Promise<Pool>) {}

  /** Runs `sql`, opening the pool first if it is not open yet. */
  async query(sql: string): Promise<unknown[]> {
    if (this.closing) throw new Error('the database is closed');
    const pool = await this.open();
    // close() may have been called while we waited for the pool: it is being ended, do not use it.
    if (this.closing) throw new Error('the database is closed');
    return pool.query(sql);
  }

  /** Ends the pool, for a clean shutdown. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  /** The shared pool promise, created synchronously on first need so that no second caller connects. */
  private open(): Promise<Pool> {
    if (!this.opening) {
      const opening = this.connect();
      this.opening = opening;
      // A failed connect must not stick: the next query tries again.
      opening.catch(() => {
        if (this.opening === opening) this.opening = null;
      });
    }
    return this.opening;
  }

  private async shutdown(): Promise<void> {
    const opening = this.opening;
    this.opening = null;
    if (!opening) return;
    // A pool still being opened is ended once it arrives; one that failed to open needs nothing.
    const pool = await opening.catch(() => null);
    await pool?.end();
  }
}
