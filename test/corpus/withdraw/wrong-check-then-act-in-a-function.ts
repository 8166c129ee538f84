// Check-then-act moved into a PL/pgSQL function called by one SELECT: under READ COMMITTED each
// statement inside it takes a new snapshot, so two calls read the same balance and both pay out.
export interface Db {
  query<R = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number }>;
}

// Move the logic into a stored function, created once.
const FN = `CREATE FUNCTION rl_withdraw(p_id int, p_amount int) RETURNS boolean AS $$
DECLARE b int;
BEGIN
  SELECT balance INTO b FROM accounts WHERE id = p_id;
  IF b < p_amount THEN RETURN false; END IF;
  UPDATE accounts SET balance = b - p_amount WHERE id = p_id;
  RETURN true;
END $$ LANGUAGE plpgsql`;

export async function withdraw(db: Db, id: number, amount: number): Promise<boolean> {
  try {
    await db.query(FN);
  } catch {
    // already created by another ATM
  }
  const { rows } = await db.query<{ ok: boolean }>('SELECT rl_withdraw($1, $2) AS ok', [id, amount]);
  return rows[0]!.ok;
}
