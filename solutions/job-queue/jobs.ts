/**
 * The background job queue of a web shop (send the invoice, resize the photos…), kept in
 * PostgreSQL. Several worker processes poll it, each on its own connection:
 *
 *   CREATE TABLE jobs (
 *     id serial PRIMARY KEY,
 *     payload text NOT NULL,
 *     status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done'))
 *   );
 */
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

/**
 * Takes the oldest queued job that no other worker is running, runs `handle` on it, marks it done,
 * and answers its id; answers null when there is no job to take.
 */
export async function work(db: Db, handle: (job: Job) => Promise<void>): Promise<number | null> {
  // The claim is the row lock, held by this transaction for the whole job: if the worker dies,
  // its connection drops, the transaction rolls back, and the job is free again by itself.
  await db.query('BEGIN');
  try {
    // SKIP LOCKED: a job another worker holds is passed over instead of waited for.
    const { rows } = await db.query<Job>(
      "SELECT id, payload FROM jobs WHERE status = 'queued' ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED",
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
    // A failed job goes back to the queue, untouched.
    await db.query('ROLLBACK');
    throw error;
  }
}
