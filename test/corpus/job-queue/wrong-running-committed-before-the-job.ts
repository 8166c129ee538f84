// Source: sourcegraph/sourcegraph-public-snapshot#6879 (move from queued to processing while skipping
// locks) and saurabhnanda/odd-jobs#108 — the claim is right, but it is committed as 'running' before
// the job runs; a failure puts it back, a dead worker never does.
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
      "UPDATE jobs SET status = 'running' WHERE id = (SELECT id FROM jobs WHERE status = 'queued' ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING id, payload",
    );
    job = rows[0];
    await db.query('COMMIT');
  } catch (error) {
    await db.query('ROLLBACK');
    throw error;
  }
  if (!job) return null;
  try {
    await handle(job);
  } catch (error) {
    await db.query("UPDATE jobs SET status = 'queued' WHERE id = $1", [job.id]);
    throw error;
  }
  await db.query("UPDATE jobs SET status = 'done' WHERE id = $1", [job.id]);
  return job.id;
}
