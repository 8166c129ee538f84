// Source: sourcegraph/sourcegraph-public-snapshot#6879 (lock in a subquery with SKIP LOCKED) and
// janbjorge/pgqueuer#637 (the lock-in-subquery pattern) — the locked id comes from a CTE; the row
// stays locked until this transaction ends with the job.
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
  let job: Job | undefined;
  try {
    const { rows } = await db.query<Job>(
      "WITH next AS (SELECT id FROM jobs WHERE status = 'queued' ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) SELECT jobs.id, jobs.payload FROM jobs JOIN next ON next.id = jobs.id",
    );
    job = rows[0];
    if (job) {
      await handle(job);
      await db.query("UPDATE jobs SET status = 'done' WHERE id = $1", [job.id]);
    }
  } catch (error) {
    await db.query('ROLLBACK');
    throw error;
  }
  await db.query('COMMIT');
  return job?.id ?? null;
}
