// One Lua script, but the trim keeps a request admitted exactly windowMs ago: the window is one
// millisecond too long, and a request that has room is refused. Source: the boundary the notes' sample
// gets right (ZREMRANGEBYSCORE 0, now - window) and ports often shift; Kit/excess_flow#1 on precision.
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
redis.call('ZREMRANGEBYSCORE', key, '-inf', '(' .. (now - window))
if redis.call('ZCARD', key) >= limit then return 0 end
redis.call('ZADD', key, now, ARGV[4])
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
    const now = Date.now();
    const admitted = await this.redis.eval(
      ADMIT,
      1,
      `ratelimit:${user}`,
      now,
      windowMs,
      limit,
      `${server}:${++this.requests}`,
    );
    return admitted === 1;
  }
}
