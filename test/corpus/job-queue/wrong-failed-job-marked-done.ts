// Source: hoangdaochuz/booking#23 (a step's error logged, then treated as success) — the handler's
// error is logged and the job marked done: it is never retried, and work answers as if it ran.
export interface Db {
  query<R = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number }>;
}

export interface Job {
  id: number;
  payload: string;
}

export async function work(db: Db, handle: (job: Job) => Promise<void>): Promise<number | null> {
  await db.query('BEGIN');
  try {
    const { rows } = await db.query<Job>(
      "SELECT id, payload FROM jobs WHERE status = 'queued' ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED",
    );
    const job = rows[0];
    if (!job) {
      await db.query('COMMIT');
      return null;
    }
    try {
      await handle(job);
    } catch (error) {
      console.error(`job ${job.id} failed`, error);
    }
    await db.query("UPDATE jobs SET status = 'done' WHERE id = $1", [job.id]);
    await db.query('COMMIT');
    return job.id;
  } catch (error) {
    await db.query('ROLLBACK');
    throw error;
  }
}
