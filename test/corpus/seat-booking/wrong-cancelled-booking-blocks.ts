// Source: enzoftware/hotelyn#169 (a hold that no longer counts must not block the room) — locked
// correctly, but the check counts every booking row, so a seat whose booking was cancelled can
// never be sold again.
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
    await db.query('SELECT id FROM seats WHERE id = ANY($1::int[]) ORDER BY id FOR UPDATE', [seatIds]);
    const { rows } = await db.query<{ seat_id: number }>(
      'SELECT seat_id FROM bookings WHERE seat_id = ANY($1::int[])',
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
