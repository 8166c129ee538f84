/**
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

export class ViewCounter {
  private flushes = 0;

  constructor(
    private readonly redis: Redis,
    private readonly db: Database,
    private readonly options: CounterOptions,
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
    const key = `views:${video}`;
    const count = Number((await this.redis.get(key)) ?? '0');
    if (count === 0) return;
    await this.db.addViews(video, count, `${this.options.server}:${++this.flushes}`);
    await this.redis.set(key, '0');
  }
}
