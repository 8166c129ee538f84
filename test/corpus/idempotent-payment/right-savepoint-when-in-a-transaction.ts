// Uses a SAVEPOINT when called inside a transaction (found by trying one: outside a transaction
// PostgreSQL refuses it with 25P01), so a duplicate key rolls back only the INSERT, never the caller.
export interface Db {
  query<R = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number }>;
}

// Inside a caller's transaction a failed INSERT would abort it, so guard the insert with a
// savepoint there. SAVEPOINT fails with 25P01 outside a transaction block: that tells us where we are.
export async function charge(db: Db, key: string, amount: number): Promise<number> {
  let savepoint = true;
  try {
    await db.query('SAVEPOINT charge');
  } catch (error) {
    if ((error as { code?: string }).code !== '25P01') throw error;
    savepoint = false;
  }
  try {
    const { rows } = await db.query<{ id: number }>(
      'INSERT INTO payments (key, amount) VALUES ($1, $2) RETURNING id',
      [key, amount],
    );
    if (savepoint) await db.query('RELEASE SAVEPOINT charge');
    return rows[0]!.id;
  } catch (error) {
    if ((error as { code?: string }).code !== '23505') throw error;
    if (savepoint) await db.query('ROLLBACK TO SAVEPOINT charge');
    const { rows } = await db.query<{ id: number }>('SELECT id FROM payments WHERE key = $1', [key]);
    return rows[0]!.id;
  }
}
