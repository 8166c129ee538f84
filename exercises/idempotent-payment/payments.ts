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
  const existing = await db.query<{ id: number }>('SELECT id FROM payments WHERE key = $1', [key]);
  if (existing.rows[0]) return existing.rows[0].id;
  const { rows } = await db.query<{ id: number }>(
    'INSERT INTO payments (key, amount) VALUES ($1, $2) RETURNING id',
    [key, amount],
  );
  return rows[0]!.id;
}
