// Source: QueueClassic/queue_classic#345 ("row locking happens within a transaction: I don't see that
// QC does any transactions") — FOR UPDATE SKIP LOCKED as a statement of its own: the lock ends with
// the statement, and the next worker takes the same job.
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
  const { rows } = await db.query<Job>(
    "SELECT id, payload FROM jobs WHERE status = 'queued' ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED",
  );
  const job = rows[0];
  if (!job) return null;
  await handle(job);
  await db.query("UPDATE jobs SET status = 'done' WHERE id = $1", [job.id]);
  return job.id;
}
