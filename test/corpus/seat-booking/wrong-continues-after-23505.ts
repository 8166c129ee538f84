// Source: brianc/node-postgres#2350 and juanluispaz/ts-sql-query#136 ("current transaction is
// aborted") — the 23505 is caught inside the transaction and the loop goes on: the next statement
// fails with 25P02, which reaches the caller.
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
  let taken: number | null = null;
  try {
    for (const seatId of [...seatIds].sort((a, b) => a - b)) {
      try {
        await db.query('INSERT INTO bookings (seat_id, customer) VALUES ($1, $2)', [seatId, customer]);
      } catch (error) {
        if ((error as { code?: string }).code !== '23505') throw error;
        taken ??= seatId;
      }
    }
    if (taken !== null) {
      await db.query('ROLLBACK');
      throw new SeatTaken(taken);
    }
    await db.query('COMMIT');
  } catch (error) {
    if (!(error instanceof SeatTaken)) await db.query('ROLLBACK');
    throw error;
  }
}
