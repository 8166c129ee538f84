// Right: one script counts the window with ZCOUNT (now - window, now], trims, and adds a member made
// unique by a counter kept in Redis. Source: apache/apisix#13574 and the redis.io rate-limiting
// tutorial's move to Lua (redis-developer/redis-ratelimiting-js#2).
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

const ADMIT = `
local key, now, window, limit = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
if redis.call('ZCOUNT', key, '(' .. (now - window), now) >= limit then return 0 end
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
local seq = redis.call('INCR', KEYS[2])
redis.call('PEXPIRE', KEYS[2], window)
redis.call('ZADD', key, now, now .. '-' .. seq)
redis.call('PEXPIRE', key, window)
return 1`;

export class RateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly options: LimiterOptions,
  ) {}

  async allow(user: string): Promise<boolean> {
    const { limit, windowMs } = this.options;
    const now = Date.now();
    const keys = [`ratelimit:${user}`, `ratelimit:${user}:seq`];
    return (await this.redis.eval(ADMIT, 2, ...keys, now, windowMs, limit)) === 1;
  }
}
