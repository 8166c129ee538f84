// Its own BEGIN and COMMIT around an advisory lock: inside a caller's transaction the COMMIT ends
// the caller's transaction too, committing the caller's order before the caller decided to.
export interface Db {
  query<R = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number }>;
}

// Lock the key for the length of a transaction, then look up and insert inside it.
export async function charge(db: Db, key: string, amount: number): Promise<number> {
  await db.query('BEGIN');
  try {
    await db.query('SELECT pg_advisory_xact_lock(hashtext($1))', [key]);
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
