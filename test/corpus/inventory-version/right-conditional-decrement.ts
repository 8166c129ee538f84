// One statement checks and sells, and bumps the version: the row lock makes the second one re-check.
export interface Db {
  query<R = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number }>;
}

export async function buy(db: Db, itemId: number, quantity: number): Promise<boolean> {
  const { rowCount } = await db.query(
    'UPDATE items SET stock = stock - $1, version = version + 1 WHERE id = $2 AND stock >= $1',
    [quantity, itemId],
  );
  return rowCount === 1;
}
