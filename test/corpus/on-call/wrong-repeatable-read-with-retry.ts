// Retries on 40001 at REPEATABLE READ: there is nothing to retry, snapshot isolation lets write skew commit.
export interface Db {
  query<R = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number }>;
}

export async function goOffCall(db: Db, name: string): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    await db.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
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
      if ((error as { code?: string }).code !== '40001' || attempt === 5) throw error;
    }
  }
}
