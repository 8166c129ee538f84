// SERIALIZABLE, and the whole transaction run again when PostgreSQL aborts it with 40001.
export interface Db {
  query<R = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number }>;
}

export async function goOffCall(db: Db, name: string): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    await db.query('BEGIN ISOLATION LEVEL SERIALIZABLE');
    try {
      const { rows } = await db.query<{ onCall: number; self: boolean | null }>(
        'SELECT count(*)::int AS "onCall", bool_or(name = $1) AS self FROM doctors WHERE on_call AND shift = (SELECT shift FROM doctors WHERE name = $1)',
        [name],
      );
      // Only a doctor on call can go off call, and only while another of the shift stays on.
      const leaves = rows[0]!.self === true && rows[0]!.onCall >= 2;
      if (leaves) await db.query('UPDATE doctors SET on_call = false WHERE name = $1', [name]);
      await db.query('COMMIT');
      return leaves;
    } catch (error) {
      await db.query('ROLLBACK');
      if ((error as { code?: string }).code !== '40001' || attempt === 5) throw error;
    }
  }
}
