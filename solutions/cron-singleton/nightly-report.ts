/**
 * The nightly sales report. Every instance of the service runs the same scheduler, so at 02:00
 * each of them calls `runNightlyReport` for that night's tick — and the report must go out once.
 * Each instance reaches PostgreSQL through its own connection pool:
 *
 *   CREATE TABLE job_runs (job text NOT NULL, tick text NOT NULL, PRIMARY KEY (job, tick));
 */
export interface Queryable {
  query<R = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number }>;
}

/** A connection taken from the pool for yourself; give it back with `release()`. */
export interface PoolClient extends Queryable {
  release(): void;
}

export interface Pool extends Queryable {
  /** `pool.query` runs each statement on whichever connection of the pool is free. */
  connect(): Promise<PoolClient>;
}

/**
 * Sends the report for `tick` (e.g. '2026-11-30') unless another instance does; answers whether
 * this instance sent it.
 */
export async function runNightlyReport(
  pool: Pool,
  tick: string,
  send: () => Promise<void>,
): Promise<boolean> {
  // One connection for the whole run: a transaction (and any lock) belongs to a connection, and
  // pool.query may send each statement to a different one.
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    try {
      // The claim of this tick is a row: the primary key lets one instance insert it. Another
      // instance's insert waits for this transaction, then inserts nothing — or, if this one rolls
      // back (send failed, or this process died), claims the tick itself.
      const claimed = await client.query(
        'INSERT INTO job_runs (job, tick) VALUES ($1, $2) ON CONFLICT DO NOTHING',
        ['nightly-report', tick],
      );
      if (claimed.rowCount === 0) {
        await client.query('ROLLBACK');
        return false;
      }
      await send();
      await client.query('COMMIT');
      return true;
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
  } finally {
    client.release();
  }
}
