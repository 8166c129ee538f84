/**
 * Ticket sales for a concert hall. A customer picks one to three seats and books them together.
 * Several API servers run this code, each request on its own connection to PostgreSQL:
 *
 *   CREATE TABLE seats (id int PRIMARY KEY, label text NOT NULL);
 *   CREATE TABLE bookings (
 *     id serial PRIMARY KEY,
 *     seat_id int NOT NULL REFERENCES seats,
 *     customer text NOT NULL,
 *     status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'cancelled'))
 *   );
 *   -- Added after last season's double booking: one active booking per seat.
 *   CREATE UNIQUE INDEX one_active_booking_per_seat ON bookings (seat_id) WHERE status = 'active';
 */
export interface Db {
  query<R = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number }>;
}

/** The customer is told this seat is gone and picks others (HTTP 409). */
export class SeatTaken extends Error {
  constructor(readonly seatId: number) {
    super(`seat ${seatId} is taken`);
    this.name = 'SeatTaken';
  }
}

/** Books every seat of `seatIds` for `customer`, or none of them and throws SeatTaken. */
export async function book(db: Db, customer: string, seatIds: number[]): Promise<void> {
  await db.query('BEGIN');
  try {
    // Lock the parent rows — the seats, which always exist — in one order (by id): a booking row
    // that does not exist yet cannot be locked, and two groups locking in opposite orders deadlock.
    await db.query('SELECT id FROM seats WHERE id = ANY($1::int[]) ORDER BY id FOR UPDATE', [seatIds]);
    // Checked after the lock: at READ COMMITTED this statement sees every booking committed so far.
    const { rows } = await db.query<{ seat_id: number }>(
      "SELECT seat_id FROM bookings WHERE seat_id = ANY($1::int[]) AND status = 'active' ORDER BY seat_id",
      [seatIds],
    );
    if (rows[0]) throw new SeatTaken(rows[0].seat_id);
    await db.query('INSERT INTO bookings (seat_id, customer) SELECT unnest($1::int[]), $2', [
      seatIds,
      customer,
    ]);
    await db.query('COMMIT');
  } catch (error) {
    await db.query('ROLLBACK');
    throw error;
  }
}
