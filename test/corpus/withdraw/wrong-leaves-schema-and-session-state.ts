// Check-then-act that also leaves state in the database: a column added by ALTER TABLE and a session
// isolation level. Every schedule must start from the schema and session the check made, so every
// run gives the same verdict (a learner's DDL used to survive into the next schedule).
export interface Db {
  query<R = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number }>;
}
// Leaves state behind: an index, a column and a session setting, then checks then acts.
export async function withdraw(db: Db, id: number, amount: number): Promise<boolean> {
  try {
    await db.query('ALTER TABLE accounts ADD COLUMN touched int');
  } catch {
    // another ATM added it
  }
  await db.query('SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL REPEATABLE READ');
  const { rows } = await db.query<{ balance: number }>('SELECT balance FROM accounts WHERE id = $1', [id]);
  if (rows[0]!.balance < amount) return false;
  await db.query('UPDATE accounts SET balance = balance - $1 WHERE id = $2', [amount, id]);
  return true;
}
