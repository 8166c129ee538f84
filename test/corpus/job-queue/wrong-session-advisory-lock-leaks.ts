// Source: timgit/pg-boss#274 (advisory locks to run one job at a time) and npgsql/npgsql#5592 (a
// session lock outlives the work) — a session-level advisory lock per job, released only on success:
// after a failed job the worker's connection keeps the lock, and no other worker can take the job.
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
  const { rows } = await db.query<Job>("SELECT id, payload FROM jobs WHERE status = 'queued' ORDER BY id");
  for (const job of rows) {
    const { rows: locked } = await db.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [
      job.id,
    ]);
    if (!locked[0]?.ok) continue;
    const { rows: still } = await db.query("SELECT 1 FROM jobs WHERE id = $1 AND status = 'queued'", [
      job.id,
    ]);
    if (still.length === 0) {
      await db.query('SELECT pg_advisory_unlock($1)', [job.id]);
      continue;
    }
    await handle(job);
    await db.query("UPDATE jobs SET status = 'done' WHERE id = $1", [job.id]);
    await db.query('SELECT pg_advisory_unlock($1)', [job.id]);
    return job.id;
  }
  return null;
}
