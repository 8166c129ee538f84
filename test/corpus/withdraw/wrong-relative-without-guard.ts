// A relative debit loses no update, but the check before it is stale: the balance goes negative.
export interface Db {
  query<R = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number }>;
}

export async function withdraw(db: Db, id: number, amount: number): Promise<boolean> {
  const { rows } = await db.query<{ balance: number }>('SELECT balance FROM accounts WHERE id = $1', [id]);
  if (rows[0]!.balance < amount) return false;
  await db.query('UPDATE accounts SET balance = balance - $1 WHERE id = $2', [amount, id]);
  return true;
}
