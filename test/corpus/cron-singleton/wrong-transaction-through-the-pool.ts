// Source: UNDP-Data/geohub#3936 (node-postgres: "do not use pool.query if you are using a
// transaction") — BEGIN, the lock, the claim and COMMIT each go to whichever connection is free:
// the transaction-scoped lock is released as soon as its own statement ends.
export interface Queryable {
  query<R = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number }>;
}

export interface PoolClient extends Queryable {
  release(): void;
}

export interface Pool extends Queryable {
  connect(): Promise<PoolClient>;
}

export async function runNightlyReport(
  pool: Pool,
  tick: string,
  send: () => Promise<void>,
): Promise<boolean> {
  await pool.query('BEGIN');
  try {
    const { rows } = await pool.query<{ ok: boolean }>(
      'SELECT pg_try_advisory_xact_lock(hashtext($1)) AS ok',
      [`nightly-report:${tick}`],
    );
    const done = await pool.query('SELECT 1 FROM job_runs WHERE job = $1 AND tick = $2', [
      'nightly-report',
      tick,
    ]);
    if (!rows[0]?.ok || done.rowCount > 0) {
      await pool.query('ROLLBACK');
      return false;
    }
    await send();
    await pool.query('INSERT INTO job_runs (job, tick) VALUES ($1, $2)', ['nightly-report', tick]);
    await pool.query('COMMIT');
    return true;
  } catch (error) {
    await pool.query('ROLLBACK');
    throw error;
  }
}
