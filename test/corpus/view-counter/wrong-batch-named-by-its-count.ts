/**
 * A wrong fix with a batch id that is not unique: the batch is named by its video and its count
 * (an idempotency key made of the payload, as in reports where a retry key was derived from the
 * request body). Two flushes that each carry one view are the same batch to the database, which
 * applies only the first: a view lost.
 *
 * Video view counts. Every web server counts each view in Redis (`INCR views:<video>`), which takes
 * any load; a scheduled job flushes the counts into the database now and then, where the totals
 * live. Each server runs its own copy of this module, with its own connection to Redis.
 */

/**
 * One connection to Redis, in the style of the ioredis client: each method sends the command of its
 * name, with its arguments as Redis takes them, and resolves with Redis's reply (an error reply
 * rejects). `call(name, ...args)` sends any other command.
 */
export interface Redis {
  incr(key: string): Promise<number>;
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ...options: (string | number)[]): Promise<'OK' | null>;
  del(...keys: string[]): Promise<number>;
  eval(script: string, numkeys: number, ...keysAndArgs: (string | number)[]): Promise<unknown>;
  call(command: string, ...args: (string | number)[]): Promise<unknown>;
}

/** The database of totals. */
export interface Database {
  /**
   * Adds `count` views to `video`'s total, once per `batch`: a batch id it has applied before adds
   * nothing. It may reject — before it added anything, or after (a timeout once it had committed).
   */
  addViews(video: string, count: number, batch: string): Promise<void>;
}

export interface CounterOptions {
  /** A name no other server process has. */
  server: string;
}

/**
 * Takes the views counted so far out of the live counter, into a pending batch with an id of its own
 * — unless a flush that failed left a batch pending: then that batch, unchanged, is flushed again.
 * KEYS: the counter, the pending batch (a hash: count, id), the batch id sequence.
 * Returns [count, id], or nil when there is nothing to flush.
 */
const TAKE = `
if redis.call('EXISTS', KEYS[2]) == 0 then
  local count = redis.call('GETDEL', KEYS[1])
  if not count then return false end
  redis.call('HSET', KEYS[2], 'count', count, 'id', count)
end
return redis.call('HMGET', KEYS[2], 'count', 'id')`;

export class ViewCounter {
  constructor(
    private readonly redis: Redis,
    private readonly db: Database,
    _options: CounterOptions,
  ) {}

  /** Counts one view of `video`. */
  async view(video: string): Promise<void> {
    await this.redis.incr(`views:${video}`);
  }

  /**
   * Moves the views of `video` counted so far into the database. Rejects when the database did; a
   * later flush then finishes the job.
   */
  async flush(video: string): Promise<void> {
    const pending = `views:${video}:pending`;
    const keys = [`views:${video}`, pending, `views:${video}:batches`];
    const taken = (await this.redis.eval(TAKE, 3, ...keys)) as [string, string] | null;
    if (taken === null) return;
    const [count, id] = taken;
    await this.db.addViews(video, Number(count), `${video}:${id}`);
    await this.redis.del(pending);
  }
}
