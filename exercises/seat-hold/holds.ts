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

const HOLD_MS = 15 * 60 * 1000;

/** Holds `seatId` for `customer` for 15 minutes; answers the hold's id. */
export async function hold(db: Db, seatId: number, customer: string): Promise<number> {
  const { rows } = await db.query(
    "SELECT 1 FROM holds WHERE seat_id = $1 AND status IN ('HELD', 'CONFIRMED')",
    [seatId],
  );
  if (rows.length > 0) throw new SeatTaken(seatId);
  const expiresAt = new Date(Date.now() + HOLD_MS);
  const inserted = await db.query<{ id: number }>(
    "INSERT INTO holds (seat_id, customer, status, expires_at) VALUES ($1, $2, 'HELD', $3) RETURNING id",
    [seatId, customer, expiresAt],
  );
  return inserted.rows[0]!.id;
}

/** Payment went through: confirms the hold if it is still valid, and answers whether it is confirmed. */
export async function confirm(db: Db, holdId: number): Promise<boolean> {
  const { rows } = await db.query<{ status: string }>('SELECT status FROM holds WHERE id = $1', [holdId]);
  const status = rows[0]?.status;
  if (status === 'CONFIRMED') return true;
  if (status !== 'HELD') return false;
  await db.query("UPDATE holds SET status = 'CONFIRMED' WHERE id = $1", [holdId]);
  return true;
}

/** The sweeper: marks every hold whose time ran out as expired; answers how many it marked. */
export async function sweep(db: Db): Promise<number> {
  const { rowCount } = await db.query(
    "UPDATE holds SET status = 'EXPIRED' WHERE status = 'HELD' AND expires_at < now()",
  );
  return rowCount;
}
