// Source: bensheldon/good_job#731 (every process waits in pg_advisory_lock for the cron key) — a
// dedicated client and the blocking lock: no two sends overlap, but each instance waits its turn
// and then sends the report again.
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
  const key = `nightly-report:${tick}`;
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [key]);
    try {
      await send();
      return true;
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [key]);
    }
  } finally {
    client.release();
  }
}
