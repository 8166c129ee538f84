// On 23505, read the winner's id: fine alone, but inside a caller's transaction the error aborts it (25P02).
export interface Db {
  query<R = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number }>;
}

export async function charge(db: Db, key: string, amount: number): Promise<number> {
  try {
    const { rows } = await db.query<{ id: number }>(
      'INSERT INTO payments (key, amount) VALUES ($1, $2) RETURNING id',
      [key, amount],
    );
    return rows[0]!.id;
  } catch (error) {
    if ((error as { code?: string }).code !== '23505') throw error;
    const { rows } = await db.query<{ id: number }>('SELECT id FROM payments WHERE key = $1', [key]);
    return rows[0]!.id;
  }
}
