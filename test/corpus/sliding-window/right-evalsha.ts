// Right: the script loaded once and run by its SHA1, loaded again when the server answers NOSCRIPT (after
// a restart or SCRIPT FLUSH). Source: the EVALSHA page's "script cache" advice; ioredis's defineCommand.
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
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
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

  private sha: string | null = null;

  private async run(...keysAndArgs: (string | number)[]): Promise<unknown> {
    try {
      if (this.sha !== null) return await this.redis.call('EVALSHA', this.sha, ...keysAndArgs);
    } catch (error) {
      if (!String(error).includes('NOSCRIPT')) throw error;
    }
    this.sha = String(await this.redis.call('SCRIPT', 'LOAD', ADMIT));
    return this.redis.call('EVALSHA', this.sha, ...keysAndArgs);
  }

  async allow(user: string): Promise<boolean> {
    const { limit, windowMs, server } = this.options;
    const member = `${server}:${++this.requests}`;
    return (await this.run(1, `ratelimit:${user}`, Date.now(), windowMs, limit, member)) === 1;
  }
}
