// Pessimistic instead: lock the row for the read-decide-write, in one transaction, and bump the version.
export interface Db {
  query<R = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number }>;
}

export async function buy(db: Db, itemId: number, quantity: number): Promise<boolean> {
  await db.query('BEGIN');
  try {
    const { rows } = await db.query<{ stock: number }>('SELECT stock FROM items WHERE id = $1 FOR UPDATE', [
      itemId,
    ]);
    const enough = rows[0]!.stock >= quantity;
    if (enough) {
      await db.query('UPDATE items SET stock = stock - $1, version = version + 1 WHERE id = $2', [
        quantity,
        itemId,
      ]);
    }
    await db.query('COMMIT');
    return enough;
  } catch (error) {
    await db.query('ROLLBACK');
    throw error;
  }
}
