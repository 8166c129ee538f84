// Source: enzoftware/hotelyn#231 (INSERT … ON CONFLICT DO NOTHING: zero rows means already held) —
// the whole group in one statement, in id order; fewer rows than seats means one was taken.
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
  try {
    const { rows } = await db.query<{ seat_id: number }>(
      "INSERT INTO bookings (seat_id, customer) SELECT unnest($1::int[]), $2 ON CONFLICT (seat_id) WHERE status = 'active' DO NOTHING RETURNING seat_id",
      [ordered, customer],
    );
    const booked = new Set(rows.map((row) => row.seat_id));
    const taken = ordered.find((seatId) => !booked.has(seatId));
    if (taken !== undefined) throw new SeatTaken(taken);
    await db.query('COMMIT');
  } catch (error) {
    await db.query('ROLLBACK');
    throw error;
  }
}
