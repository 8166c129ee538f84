/**
 * The payments API of an online shop. Each request carries an idempotency key the client minted
 * for one purchase; a client that times out sends the same request again with the same key. Several
 * API servers run this code behind a load balancer, each on its own connection to PostgreSQL:
 *
 *   CREATE TABLE payments (id serial PRIMARY KEY, key text NOT NULL UNIQUE, amount int NOT NULL);
 *
 * A row in `payments` is a charge: the billing job takes the card for every row.
 */
export interface Db {
  query<R = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number }>;
}

/** Charges `amount` once per `key`, and answers the id of that key's payment. */
export async function charge(db: Db, key: string, amount: number): Promise<number> {
  // Reserving the key is the check and the act in one statement: the unique index arbitrates. A
  // conflict is not an error (so a caller's transaction survives it); while the other insert is
  // uncommitted, this one waits for it.
  const inserted = await db.query<{ id: number }>(
    'INSERT INTO payments (key, amount) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING RETURNING id',
    [key, amount],
  );
  if (inserted.rows[0]) return inserted.rows[0].id;
  // Nothing returned: the key was already charged. Answer with that payment, as the first request did.
  const existing = await db.query<{ id: number }>('SELECT id FROM payments WHERE key = $1', [key]);
  return existing.rows[0]!.id;
}
