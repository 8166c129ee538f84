// Source: bensheldon/good_job#1446 (the cron key claimed through a unique index) — the tick is
// claimed with a committed row before sending, and the claim stays when send fails: that night's
// report is never sent.
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
  await send();
  return true;
}
