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
  for (const seatId of seatIds) {
    const { rows } = await db.query("SELECT 1 FROM bookings WHERE seat_id = $1 AND status = 'active'", [
      seatId,
    ]);
    if (rows.length > 0) throw new SeatTaken(seatId);
  }
  for (const seatId of seatIds) {
    await db.query('INSERT INTO bookings (seat_id, customer) VALUES ($1, $2)', [seatId, customer]);
  }
}
