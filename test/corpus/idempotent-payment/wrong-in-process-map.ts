// Deduplicates in a Map of this server's requests: a retry that reaches another server is not in it.
export interface Db {
  query<R = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number }>;
}

const inFlight = new Map<string, Promise<number>>();

async function chargeOnce(db: Db, key: string, amount: number): Promise<number> {
  const existing = await db.query<{ id: number }>('SELECT id FROM payments WHERE key = $1', [key]);
  if (existing.rows[0]) return existing.rows[0].id;
  const { rows } = await db.query<{ id: number }>(
    'INSERT INTO payments (key, amount) VALUES ($1, $2) RETURNING id',
    [key, amount],
  );
  return rows[0]!.id;
}

export function charge(db: Db, key: string, amount: number): Promise<number> {
  let pending = inFlight.get(key);
  if (!pending) {
    pending = chargeOnce(db, key, amount);
    inFlight.set(key, pending);
  }
  return pending;
}
