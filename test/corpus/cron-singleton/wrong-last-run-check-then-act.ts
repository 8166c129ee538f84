// Source: naiba/bonds#89 ("cron scheduler lock is racy": read last_run, run, then update, with no
// transaction or lock) — each instance looks for the tick's row, and records it after sending.
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
  const done = await pool.query('SELECT 1 FROM job_runs WHERE job = $1 AND tick = $2', [
    'nightly-report',
    tick,
  ]);
  if (done.rowCount > 0) return false;
  await send();
  await pool.query('INSERT INTO job_runs (job, tick) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
    'nightly-report',
    tick,
  ]);
  return true;
}
