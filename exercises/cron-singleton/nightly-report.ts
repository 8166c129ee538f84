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
  // One advisory lock per night keeps the instances from sending at the same moment.
  const key = `nightly-report:${tick}`;
  await pool.query('SELECT pg_try_advisory_lock(hashtext($1))', [key]);
  try {
    await send();
    return true;
  } finally {
    await pool.query('SELECT pg_advisory_unlock(hashtext($1))', [key]);
  }
}
