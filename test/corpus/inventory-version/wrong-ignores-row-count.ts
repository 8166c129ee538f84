// The version is checked, but nobody looks at rowCount: a write that matched no row still answers true.
export interface Db {
  query<R = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number }>;
}

export async function buy(db: Db, itemId: number, quantity: number): Promise<boolean> {
  const { rows } = await db.query<{ stock: number; version: number }>(
    'SELECT stock, version FROM items WHERE id = $1',
    [itemId],
  );
  const item = rows[0]!;
  if (item.stock < quantity) return false;
  await db.query('UPDATE items SET stock = $1, version = version + 1 WHERE id = $2 AND version = $3', [
    item.stock - quantity,
    itemId,
    item.version,
  ]);
  return true;
}
