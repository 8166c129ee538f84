// FOR UPDATE outside a transaction: the statement is its own transaction, so the lock is gone at once.
export interface Db {
  query<R = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number }>;
}

export async function withdraw(db: Db, id: number, amount: number): Promise<boolean> {
  const { rows } = await db.query<{ balance: number }>(
    'SELECT balance FROM accounts WHERE id = $1 FOR UPDATE',
    [id],
  );
  const balance = rows[0]!.balance;
  if (balance < amount) return false;
  await db.query('UPDATE accounts SET balance = $1 WHERE id = $2', [balance - amount, id]);
  return true;
}
