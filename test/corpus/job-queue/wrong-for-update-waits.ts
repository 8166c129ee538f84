// Source: janbjorge/pgqueuer#637 (the naive FOR UPDATE convoy) and OCA/queue#859 ("do not wait for
// locks") — without SKIP LOCKED the second worker waits for the first one's job, then finds it done
// and answers null although another job is queued.
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
      "SELECT id, payload FROM jobs WHERE status = 'queued' ORDER BY id LIMIT 1 FOR UPDATE",
    );
    const job = rows[0];
    if (!job) {
      await db.query('COMMIT');
      return null;
    }
    await handle(job);
    await db.query("UPDATE jobs SET status = 'done' WHERE id = $1", [job.id]);
    await db.query('COMMIT');
    return job.id;
  } catch (error) {
    await db.query('ROLLBACK');
    throw error;
  }
}
