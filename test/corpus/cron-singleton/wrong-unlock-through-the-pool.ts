// Source: lyft/clutch#2441 ("for a session level advisory lock to be unlocked, the unlock request
// must come from the same session") — the boolean is checked now, but lock and unlock both go
// through pool.query: the unlock may land on the other connection, and the lock leaks.
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
  const key = `nightly-report:${tick}`;
  const { rows } = await pool.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [
    key,
  ]);
  if (!rows[0]?.ok) return false;
  try {
    await send();
    return true;
  } finally {
    await pool.query('SELECT pg_advisory_unlock(hashtext($1))', [key]);
  }
}
