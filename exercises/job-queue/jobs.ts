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
  const { rows } = await db.query<Job>(
    "SELECT id, payload FROM jobs WHERE status = 'queued' ORDER BY id LIMIT 1",
  );
  const job = rows[0];
  if (!job) return null;
  await db.query("UPDATE jobs SET status = 'running' WHERE id = $1", [job.id]);
  await handle(job);
  await db.query("UPDATE jobs SET status = 'done' WHERE id = $1", [job.id]);
  return job.id;
}
