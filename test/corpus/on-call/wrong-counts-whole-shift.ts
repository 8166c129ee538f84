// Locks the whole shift but counts every doctor in it, on call or not: erin being off call does not keep anyone on.
export interface Db {
  query<R = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number }>;
}

export async function goOffCall(db: Db, name: string): Promise<boolean> {
  await db.query('BEGIN');
  try {
    const { rows } = await db.query<{ name: string }>(
      'SELECT name FROM doctors WHERE shift = (SELECT shift FROM doctors WHERE name = $1) FOR UPDATE',
      [name],
    );
    const leaves = rows.length >= 2;
    if (leaves) await db.query('UPDATE doctors SET on_call = false WHERE name = $1', [name]);
    await db.query('COMMIT');
    return leaves;
  } catch (error) {
    await db.query('ROLLBACK');
    throw error;
  }
}
