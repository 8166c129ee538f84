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

/** Enough for any honest contention; past it something is wrong, and saying so beats looping. */
const ATTEMPTS = 5;

/** Sells `quantity` units of item `itemId` if that many are in stock, and answers whether it did. */
export async function buy(db: Db, itemId: number, quantity: number): Promise<boolean> {
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    // Read afresh on every attempt: a retry with the version that just lost can never win.
    const { rows } = await db.query<{ stock: number; version: number }>(
      'SELECT stock, version FROM items WHERE id = $1',
      [itemId],
    );
    const item = rows[0]!;
    if (item.stock < quantity) return false;
    // The write lands only if nobody changed the row since we read it; 0 rows means someone did.
    const { rowCount } = await db.query(
      'UPDATE items SET stock = $1, version = version + 1 WHERE id = $2 AND version = $3',
      [item.stock - quantity, itemId, item.version],
    );
    if (rowCount === 1) return true;
  }
  throw new Error(`item ${itemId} kept changing under us: gave up after ${ATTEMPTS} attempts`);
}
