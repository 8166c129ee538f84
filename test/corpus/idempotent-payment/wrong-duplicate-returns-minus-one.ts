// Catches the duplicate's 23505 and answers -1: nothing is charged twice, but the retry gets no payment id.
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
    if ((error as { code?: string }).code === '23505') return -1;
    throw error;
  }
}
