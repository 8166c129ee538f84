/**
 * The nightly billing job. Every server of the fleet runs the same cron schedule, but the job must
 * run on only one server at a time, so each server takes a lock in the Redis they share before it
 * runs the job. Each server runs its own copy of this module, with its own connection to Redis.
 */

/**
 * One connection to Redis, in the style of the ioredis client: each method sends the command of its
 * name, with its arguments as Redis takes them, and resolves with Redis's reply (an error reply
 * rejects). Any other command works too: `call('PTTL', key)`, or `redis.pttl(key)` once you declare it.
 */
export interface Redis {
  set(key: string, value: string, ...options: (string | number)[]): Promise<'OK' | null>;
  setnx(key: string, value: string): Promise<number>;
  get(key: string): Promise<string | null>;
  del(...keys: string[]): Promise<number>;
  pexpire(key: string, milliseconds: number): Promise<number>;
  eval(script: string, numkeys: number, ...keysAndArgs: (string | number)[]): Promise<unknown>;
  call(command: string, ...args: (string | number)[]): Promise<unknown>;
}

export interface LockOptions {
  /** The lock's key, e.g. 'lock:billing'. */
  key: string;
  /** The lease: how long the lock lasts if its holder never releases it, in ms. */
  ttlMs: number;
  /** A name no other server process has (its host and pid, say). */
  owner: string;
}

export class JobLock {
  constructor(
    private readonly redis: Redis,
    private readonly options: LockOptions,
  ) {}

  /**
   * Runs `job` if this server gets the lock, then releases the lock, and answers whether the job
   * ran. When another server holds the lock, it answers false at once, without waiting.
   */
  async runExclusive(job: () => Promise<void>): Promise<boolean> {
    const { key, ttlMs } = this.options;
    if ((await this.redis.setnx(key, 'locked')) !== 1) return false;
    await this.redis.pexpire(key, ttlMs);
    await job();
    await this.redis.del(key);
    return true;
  }
}
