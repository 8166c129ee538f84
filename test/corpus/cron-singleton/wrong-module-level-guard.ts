// Source: OpenHikmah/openhikmah-web#517 ("only one job at a time" guarded by a module-level variable
// is process-local) — each instance remembers the ticks it sent; the other instances do not know.
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

const sent = new Set<string>();

export async function runNightlyReport(
  _pool: Pool,
  tick: string,
  send: () => Promise<void>,
): Promise<boolean> {
  if (sent.has(tick)) return false;
  sent.add(tick);
  try {
    await send();
    return true;
  } catch (error) {
    sent.delete(tick);
    throw error;
  }
}
