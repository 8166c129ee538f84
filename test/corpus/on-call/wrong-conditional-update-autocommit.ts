// One conditional UPDATE in autocommit: each statement counts on its own snapshot, so two can both see 2 on call.
export interface Db {
  query<R = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number }>;
}
export async function goOffCall(db: Db, name: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE doctors d SET on_call = false
     WHERE name = $1 AND on_call
       AND (SELECT count(*) FROM doctors o WHERE o.shift = d.shift AND o.on_call) >= 2`,
    [name],
  );
  return rowCount === 1;
}
