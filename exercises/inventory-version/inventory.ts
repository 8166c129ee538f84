/**
 * Checkout for a web shop's flash sale. Several checkout servers run this code at the same time,
 * each on its own connection to the one PostgreSQL database:
 *
 *   CREATE TABLE items (id int PRIMARY KEY, stock int NOT NULL, version int NOT NULL);
 *
 * `version` goes up by one with every change of a row: the catalogue and search services cache
 * items by version and refresh them when it moves.
 */
export interface Db {
  query<R = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number }>;
}

/** Sells `quantity` units of item `itemId` if that many are in stock, and answers whether it did. */
export async function buy(db: Db, itemId: number, quantity: number): Promise<boolean> {
  const { rows } = await db.query<{ stock: number; version: number }>(
    'SELECT stock, version FROM items WHERE id = $1',
    [itemId],
  );
  const item = rows[0]!;
  if (item.stock < quantity) return false;
  await db.query('UPDATE items SET stock = $1, version = version + 1 WHERE id = $2', [
    item.stock - quantity,
    itemId,
  ]);
  return true;
}
