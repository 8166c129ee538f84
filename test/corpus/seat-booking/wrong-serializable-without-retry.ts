// Source: the CURRICULUM's E10 list and jeremyevans/sequel#908 (an error inside the transaction is
// the end of it) — SERIALIZABLE makes PostgreSQL abort one of two racing bookings, but nothing
// runs it again: the customer gets 40001 (or the index's 23505) instead of an answer.
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
  await db.query('BEGIN ISOLATION LEVEL SERIALIZABLE');
  try {
    const { rows } = await db.query<{ seat_id: number }>(
      "SELECT seat_id FROM bookings WHERE seat_id = ANY($1::int[]) AND status = 'active'",
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
