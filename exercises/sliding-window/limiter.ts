/**
 * The API's rate limiter: each user may make `limit` requests in any `windowMs` ms, counted across
 * every API server. The servers share one Redis; each runs its own copy of this module, with its
 * own connection. The admitted requests of a user are a sorted set `ratelimit:<user>`: one member
 * per admitted request, scored with the time (ms) it was admitted.
 */

/**
 * One connection to Redis, in the style of the ioredis client: each method sends the command of its
 * name, with its arguments as Redis takes them, and resolves with Redis's reply (an error reply
 * rejects). `call(name, ...args)` sends any other command.
 */
export interface Redis {
  zadd(key: string, score: number, member: string): Promise<number>;
  zcard(key: string): Promise<number>;
  zremrangebyscore(key: string, min: number | string, max: number | string): Promise<number>;
  pexpire(key: string, milliseconds: number): Promise<number>;
  eval(script: string, numkeys: number, ...keysAndArgs: (string | number)[]): Promise<unknown>;
  call(command: string, ...args: (string | number)[]): Promise<unknown>;
}

export interface LimiterOptions {
  /** At most this many requests of one user are admitted in any window. */
  limit: number;
  /** The window's length, in ms. */
  windowMs: number;
  /** A name no other server process has. */
  server: string;
}

export class RateLimiter {
  private requests = 0;

  constructor(
    private readonly redis: Redis,
    private readonly options: LimiterOptions,
  ) {}

  /**
   * Admits a request of `user` if fewer than `limit` of the user's requests were admitted in the
   * last `windowMs` ms (those admitted at a time t with now - windowMs < t <= now), and answers
   * whether it did.
   */
  async allow(user: string): Promise<boolean> {
    const { limit, windowMs, server } = this.options;
    const key = `ratelimit:${user}`;
    const now = Date.now();
    await this.redis.zremrangebyscore(key, '-inf', now - windowMs);
    if ((await this.redis.zcard(key)) >= limit) return false;
    await this.redis.zadd(key, now, `${server}:${++this.requests}`);
    await this.redis.pexpire(key, windowMs);
    return true;
  }
}
