// Source: drwgrc/multi-tenant-event-pipeline#26 and janbjorge/pgqueuer#637 (a locking read waits
// for the row's writer, then re-reads it) — the seat's live-or-confirmed holds are read FOR UPDATE,
// so a confirm in flight is waited for and seen.
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
  await db.query('BEGIN');
  try {
    await db.query('SELECT id FROM seats WHERE id = $1 FOR UPDATE', [seatId]);
    const { rows } = await db.query<{ live: boolean }>(
      "SELECT status = 'CONFIRMED' OR expires_at > now() AS live FROM holds WHERE seat_id = $1 AND status IN ('HELD', 'CONFIRMED') FOR UPDATE",
      [seatId],
    );
    if (rows.some((row) => row.live)) throw new SeatTaken(seatId);
    const inserted = await db.query<{ id: number }>(
      "INSERT INTO holds (seat_id, customer, status, expires_at) VALUES ($1, $2, 'HELD', now() + interval '15 minutes') RETURNING id",
      [seatId, customer],
    );
    await db.query('COMMIT');
    return inserted.rows[0]!.id;
  } catch (error) {
    await db.query('ROLLBACK');
    throw error;
  }
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
