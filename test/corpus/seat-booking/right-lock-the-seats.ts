// Source: sharetribe/harmony#27 (lock the bookable row, by primary key, instead of booking rows) and
// ossdaiict/SBG-Website#18 (in id order) — the seats are the parent rows; checked after the lock.
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
    for (const seatId of [...seatIds].sort((a, b) => a - b)) {
      await db.query('SELECT id FROM seats WHERE id = $1 FOR UPDATE', [seatId]);
    }
    const { rows } = await db.query<{ seat_id: number }>(
      "SELECT seat_id FROM bookings WHERE seat_id = ANY($1::int[]) AND status = 'active' ORDER BY seat_id",
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
