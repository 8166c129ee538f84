// FOR UPDATE in a transaction, as it should be — but the happy path returns without COMMIT: the row
// stays locked, and the next withdrawal waits for it forever. (Issue 11: each schedule used to wait
// out the server's 10 s timeout; the verdict now names the open transaction at once.)
export interface Db {
  query<R = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number }>;
}

export async function withdraw(db: Db, id: number, amount: number): Promise<boolean> {
  await db.query('BEGIN');
  const { rows } = await db.query<{ balance: number }>(
    'SELECT balance FROM accounts WHERE id = $1 FOR UPDATE',
    [id],
  );
  if (rows[0]!.balance < amount) {
    await db.query('ROLLBACK');
    return false;
  }
  await db.query('UPDATE accounts SET balance = balance - $1 WHERE id = $2', [amount, id]);
  return true;
}
