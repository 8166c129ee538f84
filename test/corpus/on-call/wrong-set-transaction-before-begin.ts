// SET TRANSACTION before BEGIN applies to nothing (PostgreSQL warns and ignores it): READ COMMITTED, write skew.
export interface Db {
  query<R = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number }>;
}

export async function goOffCall(db: Db, name: string): Promise<boolean> {
  await db.query('SET TRANSACTION ISOLATION LEVEL SERIALIZABLE');
  await db.query('BEGIN');
  try {
    const { rows } = await db.query<{ onCall: number }>(
      'SELECT count(*)::int AS "onCall" FROM doctors WHERE on_call AND shift = (SELECT shift FROM doctors WHERE name = $1)',
      [name],
    );
    const leaves = rows[0]!.onCall >= 2;
    if (leaves) await db.query('UPDATE doctors SET on_call = false WHERE name = $1', [name]);
    await db.query('COMMIT');
    return leaves;
  } catch (error) {
    await db.query('ROLLBACK');
    throw error;
  }
}
