// ON CONFLICT DO UPDATE with a no-op change returns the existing row's id in the same statement.
export interface Db {
  query<R = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number }>;
}

export async function charge(db: Db, key: string, amount: number): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    'INSERT INTO payments (key, amount) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET key = EXCLUDED.key RETURNING id',
    [key, amount],
  );
  return rows[0]!.id;
}
