// SERIALIZABLE, and the whole transaction run again when PostgreSQL aborts it with 40001.
export interface Db {
  query<R = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number }>;
}

export async function withdraw(db: Db, id: number, amount: number): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    await db.query('BEGIN ISOLATION LEVEL SERIALIZABLE');
    try {
      const { rows } = await db.query<{ balance: number }>('SELECT balance FROM accounts WHERE id = $1', [
        id,
      ]);
      const balance = rows[0]!.balance;
      if (balance >= amount)
        await db.query('UPDATE accounts SET balance = $1 WHERE id = $2', [balance - amount, id]);
      await db.query('COMMIT');
      return balance >= amount;
    } catch (error) {
      await db.query('ROLLBACK');
      if ((error as { code?: string }).code !== '40001' || attempt === 5) throw error;
    }
  }
}
