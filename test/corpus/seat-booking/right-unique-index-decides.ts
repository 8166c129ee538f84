// Source: brianc/node-postgres#2350 (ROLLBACK, then map 23505 to the caller's error) and
// enzoftware/hotelyn#231 (the database arbitrates; the loser gets a typed "already held") — one
// transaction inserting the seats in id order; a 23505 rolls it all back and names the seat.
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
  const ordered = [...seatIds].sort((a, b) => a - b);
  await db.query('BEGIN');
  for (const seatId of ordered) {
    try {
      await db.query('INSERT INTO bookings (seat_id, customer) VALUES ($1, $2)', [seatId, customer]);
    } catch (error) {
      // Any error has aborted the transaction: only ROLLBACK is possible now.
      await db.query('ROLLBACK');
      if ((error as { code?: string }).code === '23505') throw new SeatTaken(seatId);
      throw error;
    }
  }
  await db.query('COMMIT');
}
