// Source: QueueClassic/queue_classic#345 (FOR NO KEY UPDATE SKIP LOCKED) and drwgrc/
// multi-tenant-event-pipeline#26 — the lighter row lock is enough to keep other workers off the job;
// held in a transaction for the whole job, so that a dead worker's rollback frees it.
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
      "SELECT id, payload FROM jobs WHERE status = 'queued' ORDER BY id LIMIT 1 FOR NO KEY UPDATE SKIP LOCKED",
    );
    const job = rows[0];
    if (job) {
      await handle(job);
      await db.query("UPDATE jobs SET status = 'done' WHERE id = $1", [job.id]);
    }
    await db.query('COMMIT');
    return job?.id ?? null;
  } catch (error) {
    await db.query('ROLLBACK');
    throw error;
  }
}
