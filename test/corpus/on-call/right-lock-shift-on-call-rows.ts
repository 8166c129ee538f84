// Lock the rows the decision reads — the shift's on-call doctors — and count them in TypeScript.
export interface Db {
  query<R = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number }>;
}

export async function goOffCall(db: Db, name: string): Promise<boolean> {
  await db.query('BEGIN');
  try {
    // A waiter re-checks on_call on the row it waited for, so it counts only who is still on call.
    const { rows } = await db.query<{ name: string }>(
      'SELECT name FROM doctors WHERE on_call AND shift = (SELECT shift FROM doctors WHERE name = $1) FOR UPDATE',
      [name],
    );
    const leaves = rows.length >= 2 && rows.some((row) => row.name === name);
    if (leaves) await db.query('UPDATE doctors SET on_call = false WHERE name = $1', [name]);
    await db.query('COMMIT');
    return leaves;
  } catch (error) {
    await db.query('ROLLBACK');
    throw error;
  }
}
