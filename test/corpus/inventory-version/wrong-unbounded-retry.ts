// Optimistic locking with a fresh read on every attempt — and no bound: under sustained contention
// (another service changing the item after every read) it never ends.
export interface Db {
  query<R = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number }>;
}

export async function buy(db: Db, itemId: number, quantity: number): Promise<boolean> {
  for (;;) {
    const { rows } = await db.query<{ stock: number; version: number }>(
      'SELECT stock, version FROM items WHERE id = $1',
      [itemId],
    );
    const item = rows[0]!;
    if (item.stock < quantity) return false;
    const { rowCount } = await db.query(
      'UPDATE items SET stock = $1, version = version + 1 WHERE id = $2 AND version = $3',
      [item.stock - quantity, itemId, item.version],
    );
    if (rowCount === 1) return true;
  }
}
