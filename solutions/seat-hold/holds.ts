/**
 * Seat holds for a theatre's checkout. Picking a seat holds it for 15 minutes while the customer
 * pays; payment confirms the hold; a sweeper job marks holds whose time ran out as expired.
 * Several servers and the sweeper run this code, each call on its own connection to PostgreSQL:
 *
 *   CREATE TABLE seats (id int PRIMARY KEY, label text NOT NULL);
 *   CREATE TABLE holds (
 *     id serial PRIMARY KEY,
 *     seat_id int NOT NULL REFERENCES seats,
 *     customer text NOT NULL,
 *     status text NOT NULL CHECK (status IN ('HELD', 'CONFIRMED', 'EXPIRED')),
 *     expires_at timestamptz NOT NULL
 *   );
 */
export interface Db {
  query<R = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number }>;
}

/** The seat is held by someone else, or sold. */
export class SeatTaken extends Error {
  constructor(readonly seatId: number) {
    super(`seat ${seatId} is taken`);
    this.name = 'SeatTaken';
  }
}

// Every time is the database's now(): one clock for every server and the sweeper.

/** Holds `seatId` for `customer` for 15 minutes; answers the hold's id. */
export async function hold(db: Db, seatId: number, customer: string): Promise<number> {
  await db.query('BEGIN');
  try {
    // The seat row always exists: locking it serialises the holds of one seat (a hold row that does
    // not exist yet cannot be locked).
    await db.query('SELECT id FROM seats WHERE id = $1 FOR UPDATE', [seatId]);
    // Holds whose time ran out are expired first, here, without waiting for the sweeper. The UPDATE
    // waits for a confirm of the same hold that has not committed yet, then sees it CONFIRMED and
    // leaves it: a plain SELECT would not wait, and would take the seat from under that payment.
    await db.query(
      "UPDATE holds SET status = 'EXPIRED' WHERE seat_id = $1 AND status = 'HELD' AND expires_at <= now()",
      [seatId],
    );
    const { rows } = await db.query(
      "SELECT 1 FROM holds WHERE seat_id = $1 AND (status = 'CONFIRMED' OR (status = 'HELD' AND expires_at > now()))",
      [seatId],
    );
    if (rows.length > 0) throw new SeatTaken(seatId);
    const inserted = await db.query<{ id: number }>(
      "INSERT INTO holds (seat_id, customer, status, expires_at) VALUES ($1, $2, 'HELD', now() + interval '15 minutes') RETURNING id",
      [seatId, customer],
    );
    await db.query('COMMIT');
    return inserted.rows[0]!.id;
  } catch (error) {
    await db.query('ROLLBACK');
    throw error;
  }
}

/** Payment went through: confirms the hold if it is still valid, and answers whether it is confirmed. */
export async function confirm(db: Db, holdId: number): Promise<boolean> {
  // One conditional statement: it holds the row lock while it tests and writes, so it and the
  // sweeper's UPDATE of the same row cannot both succeed.
  const { rowCount } = await db.query(
    "UPDATE holds SET status = 'CONFIRMED' WHERE id = $1 AND status = 'HELD' AND expires_at > now()",
    [holdId],
  );
  if (rowCount === 1) return true;
  // Zero rows: already confirmed (a retried payment callback), expired, or unknown.
  const { rows } = await db.query<{ status: string }>('SELECT status FROM holds WHERE id = $1', [holdId]);
  return rows[0]?.status === 'CONFIRMED';
}

/** The sweeper: marks every hold whose time ran out as expired; answers how many it marked. */
export async function sweep(db: Db): Promise<number> {
  // A hold has expired from the instant expires_at is reached: <=, the complement of confirm's >.
  const { rowCount } = await db.query(
    "UPDATE holds SET status = 'EXPIRED' WHERE status = 'HELD' AND expires_at <= now()",
  );
  return rowCount;
}
