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

/** Takes doctor `name` off call if another doctor of the same shift stays on call; answers whether it did. */
export async function goOffCall(db: Db, name: string): Promise<boolean> {
  await db.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
  // count(*) is a bigint, which pg hands to JavaScript as a string: ::int makes it a number.
  const { rows } = await db.query<{ onCall: number }>(
    'SELECT count(*)::int AS "onCall" FROM doctors WHERE on_call AND shift = (SELECT shift FROM doctors WHERE name = $1)',
    [name],
  );
  if (rows[0]!.onCall < 2) {
    await db.query('ROLLBACK');
    return false;
  }
  await db.query('UPDATE doctors SET on_call = false WHERE name = $1', [name]);
  await db.query('COMMIT');
  return true;
}
