// Source: calcom/cal.diy#28151 (FOR UPDATE on the existing bookings before the insert) — the lock
// takes the booking rows it finds, and the one that will conflict does not exist yet: 23505.
export interface Db {
  query<R = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number }>;
}

export class SeatTaken extends Error {
  constructor(readonly seatId: number) {
    super(`seat ${seatId} is taken`);
    this.name = 'SeatTaken';
  }
}

export async function book(db: Db, customer: string, seatIds: number[]): Promise<void> {
  await db.query('BEGIN');
  try {
    const { rows } = await db.query<{ seat_id: number }>(
      "SELECT seat_id FROM bookings WHERE seat_id = ANY($1::int[]) AND status = 'active' FOR UPDATE",
      [seatIds],
    );
    if (rows[0]) throw new SeatTaken(rows[0].seat_id);
    for (const seatId of seatIds) {
      await db.query('INSERT INTO bookings (seat_id, customer) VALUES ($1, $2)', [seatId, customer]);
    }
    await db.query('COMMIT');
  } catch (error) {
    await db.query('ROLLBACK');
    throw error;
  }
}
