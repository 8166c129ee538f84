// Reserve the key with ON CONFLICT DO NOTHING; when no row comes back, read the winner's id.
export interface Db {
  query<R = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number }>;
}

export async function charge(db: Db, key: string, amount: number): Promise<number> {
  const inserted = await db.query<{ id: number }>(
    'INSERT INTO payments (key, amount) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING RETURNING id',
    [key, amount],
  );
  if (inserted.rows[0]) return inserted.rows[0].id;
  const { rows } = await db.query<{ id: number }>('SELECT id FROM payments WHERE key = $1', [key]);
  return rows[0]!.id;
}
