// A transaction at READ COMMITTED around read-then-write: both still read 100 and write absolutes.
export interface Db {
  query<R = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number }>;
}

export async function withdraw(db: Db, id: number, amount: number): Promise<boolean> {
  await db.query('BEGIN');
  try {
    const { rows } = await db.query<{ balance: number }>('SELECT balance FROM accounts WHERE id = $1', [id]);
    const balance = rows[0]!.balance;
    if (balance < amount) {
      await db.query('ROLLBACK');
      return false;
    }
    await db.query('UPDATE accounts SET balance = $1 WHERE id = $2', [balance - amount, id]);
    await db.query('COMMIT');
    return true;
  } catch (error) {
    await db.query('ROLLBACK');
    throw error;
  }
}
