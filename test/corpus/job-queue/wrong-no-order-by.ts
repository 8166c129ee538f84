// Source: QueueClassic/queue_classic#345 ("why is there no ORDER BY id so that jobs are handled in
// FIFO manner?") — claimed safely, but in whatever order the table's pages hold the rows.
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
      "SELECT id, payload FROM jobs WHERE status = 'queued' LIMIT 1 FOR UPDATE SKIP LOCKED",
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
