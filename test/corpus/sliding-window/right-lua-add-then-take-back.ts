// Right: one script adds the request first, counts the window, and takes the request back out when it
// was over the limit — so a refusal takes no room. Source: the fix peterkhayes/rolling-rate-limiter#36
// asks for ("if an action is blocked, it is still added to the set"), made atomic in Lua.
export interface Redis {
  zadd(key: string, score: number, member: string): Promise<number>;
  zcard(key: string): Promise<number>;
  zremrangebyscore(key: string, min: number | string, max: number | string): Promise<number>;
  pexpire(key: string, milliseconds: number): Promise<number>;
  eval(script: string, numkeys: number, ...keysAndArgs: (string | number)[]): Promise<unknown>;
  call(command: string, ...args: (string | number)[]): Promise<unknown>;
}

export interface LimiterOptions {
  limit: number;
  windowMs: number;
  server: string;
}

/**
 * Add, count, and take back when over: one step, with nothing else between. KEYS[1] the user's set;
 * ARGV: now (ms), window (ms), limit, a member unique to this request.
 */
const ADMIT = `
local key, now, window, limit = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
redis.call('ZADD', key, now, ARGV[4])
if redis.call('ZCARD', key) > limit then
  redis.call('ZREM', key, ARGV[4])
  return 0
end
redis.call('PEXPIRE', key, window)
return 1`;

export class RateLimiter {
  private requests = 0;

  constructor(
    private readonly redis: Redis,
    private readonly options: LimiterOptions,
  ) {}

  async allow(user: string): Promise<boolean> {
    const { limit, windowMs, server } = this.options;
    const member = `${server}:${++this.requests}`;
    const admitted = await this.redis.eval(
      ADMIT,
      1,
      `ratelimit:${user}`,
      Date.now(),
      windowMs,
      limit,
      member,
    );
    return admitted === 1;
  }
}
