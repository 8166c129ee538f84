/**
 * The rota app of a hospital. Doctors tap "go off call" on their phones; every tap runs this code
 * on its own connection to the one PostgreSQL database:
 *
 *   CREATE TABLE doctors (name text PRIMARY KEY, shift int NOT NULL, on_call boolean NOT NULL);
 *
 * The rule: every shift keeps at least one doctor on call.
 */
export interface Db {
  query<R = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number }>;
}

/** A serialization failure did nothing, so running again is safe; past this many, give up loudly. */
const ATTEMPTS = 5;

/** Takes doctor `name` off call if another doctor of the same shift stays on call; answers whether it did. */
export async function goOffCall(db: Db, name: string): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    // SERIALIZABLE sees that two doctors each read the other's row and then wrote their own (write
    // skew) and aborts one of them with 40001, where REPEATABLE READ lets both commit.
    await db.query('BEGIN ISOLATION LEVEL SERIALIZABLE');
    try {
      // count(*) is a bigint, which pg hands to JavaScript as a string: ::int makes it a number.
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
      // Run the whole transaction again, reading afresh: the values of the aborted attempt are stale.
      if ((error as { code?: string }).code !== '40001' || attempt === ATTEMPTS) throw error;
    }
  }
}
