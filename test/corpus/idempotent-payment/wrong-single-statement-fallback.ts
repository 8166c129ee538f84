// ON CONFLICT and the fallback read in one statement: it reads from a snapshot older than the winner's commit.
export interface Db {
  query<R = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number }>;
}

export async function charge(db: Db, key: string, amount: number): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `WITH inserted AS (
       INSERT INTO payments (key, amount) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING RETURNING id
     )
     SELECT id FROM inserted UNION ALL SELECT id FROM payments WHERE key = $1`,
    [key, amount],
  );
  return rows[0]!.id;
}
