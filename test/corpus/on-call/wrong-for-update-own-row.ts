// Locks only the doctor's own row: the two doctors lock different rows, so neither waits — write skew.
export interface Db {
  query<R = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number }>;
}

export async function goOffCall(db: Db, name: string): Promise<boolean> {
  await db.query('BEGIN');
  try {
    const { rows: me } = await db.query<{ shift: number }>(
      'SELECT shift FROM doctors WHERE name = $1 FOR UPDATE',
      [name],
    );
    const { rows } = await db.query<{ onCall: number }>(
      'SELECT count(*)::int AS "onCall" FROM doctors WHERE on_call AND shift = $1',
      [me[0]!.shift],
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
