// One conditional statement, as it should be — but with `balance > $1`: a withdrawal of exactly the
// whole balance is refused. (Issue 10: passed before the workloads included the exact fit.)
export interface Db {
  query<R = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number }>;
}

export async function withdraw(db: Db, id: number, amount: number): Promise<boolean> {
  const { rowCount } = await db.query(
    'UPDATE accounts SET balance = balance - $1 WHERE id = $2 AND balance > $1',
    [amount, id],
  );
  return rowCount === 1;
}
