// SELECT then INSERT in one READ COMMITTED transaction: both see no row; the second insert waits, then 23505.
export interface Db {
  query<R = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number }>;
}

export async function charge(db: Db, key: string, amount: number): Promise<number> {
  await db.query('BEGIN');
  try {
    const existing = await db.query<{ id: number }>('SELECT id FROM payments WHERE key = $1', [key]);
    let id = existing.rows[0]?.id;
    if (id === undefined) {
      const { rows } = await db.query<{ id: number }>(
        'INSERT INTO payments (key, amount) VALUES ($1, $2) RETURNING id',
        [key, amount],
      );
      id = rows[0]!.id;
    }
    await db.query('COMMIT');
    return id;
  } catch (error) {
    await db.query('ROLLBACK');
    throw error;
  }
}
