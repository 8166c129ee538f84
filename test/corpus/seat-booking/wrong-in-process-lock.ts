// Source: SandeepVashishtha/Eventra#9839 (an in-memory lock map only serialises one Node process) —
// a promise-chain lock in the module: every server has its own, so two servers still race.
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

let tail: Promise<unknown> = Promise.resolve();

async function bookNow(db: Db, customer: string, seatIds: number[]): Promise<void> {
  const { rows } = await db.query<{ seat_id: number }>(
    "SELECT seat_id FROM bookings WHERE seat_id = ANY($1::int[]) AND status = 'active'",
    [seatIds],
  );
  if (rows[0]) throw new SeatTaken(rows[0].seat_id);
  await db.query('INSERT INTO bookings (seat_id, customer) SELECT unnest($1::int[]), $2', [
    seatIds,
    customer,
  ]);
}

export function book(db: Db, customer: string, seatIds: number[]): Promise<void> {
  const run = tail.then(() => bookNow(db, customer, seatIds));
  tail = run.catch(() => {});
  return run;
}
