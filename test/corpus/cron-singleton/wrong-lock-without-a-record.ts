// Source: WorldBank-Transport/DRIVER#512 (cron jobs wrapped in pg_try_advisory_lock) and
// mozilla/crontabber#69 (simultaneous start) — the lock is taken and released correctly on one
// client, but it only says "not now": an instance whose scheduler fires after the report went out
// finds the lock free and sends it again.
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
      if (!rows[0]?.ok) {
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
