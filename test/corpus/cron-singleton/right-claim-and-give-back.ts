// Source: bensheldon/good_job#1446 and enzoftware/hotelyn#231 (INSERT … ON CONFLICT DO NOTHING as the
// claim) — the claim commits before sending, and a failed send deletes it, so a later run sends the
// report; a crash mid-send loses that night, which the contract allows.
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
  const claimed = await pool.query(
    'INSERT INTO job_runs (job, tick) VALUES ($1, $2) ON CONFLICT DO NOTHING',
    ['nightly-report', tick],
  );
  if (claimed.rowCount === 0) return false;
  try {
    await send();
  } catch (error) {
    await pool.query('DELETE FROM job_runs WHERE job = $1 AND tick = $2', ['nightly-report', tick]);
    throw error;
  }
  return true;
}
