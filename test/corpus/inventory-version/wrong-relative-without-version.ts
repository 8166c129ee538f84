// No version check: a relative decrement loses no update, but the stock check before it is stale.
export interface Db {
  query<R = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number }>;
}

export async function buy(db: Db, itemId: number, quantity: number): Promise<boolean> {
  const { rows } = await db.query<{ stock: number }>('SELECT stock FROM items WHERE id = $1', [itemId]);
  if (rows[0]!.stock < quantity) return false;
  await db.query('UPDATE items SET stock = stock - $1, version = version + 1 WHERE id = $2', [
    quantity,
    itemId,
  ]);
  return true;
}
