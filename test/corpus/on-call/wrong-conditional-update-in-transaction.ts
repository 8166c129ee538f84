// One conditional UPDATE still counts from its own snapshot, blind to the other's uncommitted change: write skew (autocommit too).
export interface Db {
  query<R = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number }>;
}

export async function goOffCall(db: Db, name: string): Promise<boolean> {
  await db.query('BEGIN');
  try {
    const { rowCount } = await db.query(
      `UPDATE doctors d SET on_call = false
       WHERE name = $1 AND on_call
         AND (SELECT count(*) FROM doctors o WHERE o.shift = d.shift AND o.on_call) >= 2`,
      [name],
    );
    await db.query('COMMIT');
    return rowCount === 1;
  } catch (error) {
    await db.query('ROLLBACK');
    throw error;
  }
}
