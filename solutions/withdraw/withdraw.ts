/**
 * Cash withdrawals for a bank's ATM network. Many ATMs and the mobile app run this code at the
 * same time, each on its own connection to the one PostgreSQL database:
 *
 *   CREATE TABLE accounts (id int PRIMARY KEY, balance int NOT NULL);
 */
export interface Db {
  query<R = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number }>;
}

/** Takes `amount` from account `id` if its balance covers it, and answers whether it did. */
export async function withdraw(db: Db, id: number, amount: number): Promise<boolean> {
  // The check and the debit are one statement: the row is locked while it is read and written,
  // so no other withdrawal can slip between them.
  const { rowCount } = await db.query(
    'UPDATE accounts SET balance = balance - $1 WHERE id = $2 AND balance >= $1',
    [amount, id],
  );
  return rowCount === 1;
}
