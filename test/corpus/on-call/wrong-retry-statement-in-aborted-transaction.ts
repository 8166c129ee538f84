// Retries only the statement that failed with 40001, inside the aborted transaction: 25P02, or a COMMIT that commits nothing.
export interface Db {
  query<R = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number }>;
}

async function retried(db: Db, sql: string, params: unknown[] = []) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.query<{ onCall: number }>(sql, params);
    } catch (error) {
      if ((error as { code?: string }).code !== '40001' || attempt === 5) throw error;
    }
  }
}

export async function goOffCall(db: Db, name: string): Promise<boolean> {
  await db.query('BEGIN ISOLATION LEVEL SERIALIZABLE');
  try {
    const { rows } = await retried(
      db,
      'SELECT count(*)::int AS "onCall" FROM doctors WHERE on_call AND shift = (SELECT shift FROM doctors WHERE name = $1)',
      [name],
    );
    const leaves = rows[0]!.onCall >= 2;
    if (leaves) await retried(db, 'UPDATE doctors SET on_call = false WHERE name = $1', [name]);
    await retried(db, 'COMMIT');
    return leaves;
  } catch (error) {
    await db.query('ROLLBACK');
    throw error;
  }
}
