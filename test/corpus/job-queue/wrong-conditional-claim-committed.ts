// Source: saurabhnanda/odd-jobs#108 (jobs left "locked" for good after the worker was SIGKILLed) — a
// conditional UPDATE claims each job once, but the claim is committed before the job runs: a worker
// that dies leaves its job running forever.
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
  for (;;) {
    const { rows } = await db.query<Job>(
      "SELECT id, payload FROM jobs WHERE status = 'queued' ORDER BY id LIMIT 1",
    );
    const job = rows[0];
    if (!job) return null;
    const claimed = await db.query("UPDATE jobs SET status = 'running' WHERE id = $1 AND status = 'queued'", [
      job.id,
    ]);
    if (claimed.rowCount === 0) continue;
    try {
      await handle(job);
    } catch (error) {
      await db.query("UPDATE jobs SET status = 'queued' WHERE id = $1", [job.id]);
      throw error;
    }
    await db.query("UPDATE jobs SET status = 'done' WHERE id = $1", [job.id]);
    return job.id;
  }
}
