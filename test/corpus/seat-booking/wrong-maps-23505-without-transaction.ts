// Source: domits1/Domits#3228 (a failure halfway through left the first steps committed) — 23505 is
// mapped to SeatTaken, but each seat is inserted in its own autocommit transaction: the seats
// before the taken one stay booked for a customer who was told "taken".
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
  for (const seatId of seatIds) {
    try {
      await db.query('INSERT INTO bookings (seat_id, customer) VALUES ($1, $2)', [seatId, customer]);
    } catch (error) {
      if ((error as { code?: string }).code === '23505') throw new SeatTaken(seatId);
      throw error;
    }
  }
}
