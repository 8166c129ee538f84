// Source: OpenHikmah/openhikmah-web#517 ("an xact lock plus a row") and electric-sql/electric#2682
// (take the advisory lock on a dedicated connection, not a pooled query) — one client, a
// transaction-scoped lock per tick, and the tick recorded in the transaction that sends it.
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
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    try {
      const { rows } = await client.query<{ ok: boolean }>(
        'SELECT pg_try_advisory_xact_lock(hashtext($1)) AS ok',
        [`nightly-report:${tick}`],
      );
      const done = rows[0]?.ok
        ? await client.query('SELECT 1 FROM job_runs WHERE job = $1 AND tick = $2', ['nightly-report', tick])
        : null;
      if (!done || done.rowCount > 0) {
        await client.query('ROLLBACK');
        return false;
      }
      await send();
      await client.query('INSERT INTO job_runs (job, tick) VALUES ($1, $2)', ['nightly-report', tick]);
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
