// Source: delta-whiplash/CloudMeet#43 (the conflict SELECT and the INSERT are two separate
// statements) — the check knows about expiry, but nothing serialises two holds of one seat: both
// see it free and both insert.
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

export async function hold(db: Db, seatId: number, customer: string): Promise<number> {
  const { rows } = await db.query(
    "SELECT 1 FROM holds WHERE seat_id = $1 AND (status = 'CONFIRMED' OR (status = 'HELD' AND expires_at > now()))",
    [seatId],
  );
  if (rows.length > 0) throw new SeatTaken(seatId);
  const inserted = await db.query<{ id: number }>(
    "INSERT INTO holds (seat_id, customer, status, expires_at) VALUES ($1, $2, 'HELD', now() + interval '15 minutes') RETURNING id",
    [seatId, customer],
  );
  return inserted.rows[0]!.id;
}

export async function confirm(db: Db, holdId: number): Promise<boolean> {
  const { rowCount } = await db.query(
    "UPDATE holds SET status = 'CONFIRMED' WHERE id = $1 AND status = 'HELD' AND expires_at > now()",
    [holdId],
  );
  if (rowCount === 1) return true;
  const { rows } = await db.query<{ status: string }>('SELECT status FROM holds WHERE id = $1', [holdId]);
  return rows[0]?.status === 'CONFIRMED';
}

export async function sweep(db: Db): Promise<number> {
  const { rowCount } = await db.query(
    "UPDATE holds SET status = 'EXPIRED' WHERE status = 'HELD' AND expires_at <= now()",
  );
  return rowCount;
}
