// The window kept in each server's memory: every server admits limit requests, so the fleet admits
// limit × servers. Source: the notes' Q7 ("100 requests per minute across all servers"); the in-memory
// store that express-rate-limit uses by default, behind a load balancer.
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

const admitted = new Map<string, number[]>();

export class RateLimiter {
  private requests = 0;

  constructor(
    private readonly redis: Redis,
    private readonly options: LimiterOptions,
  ) {}

  async allow(user: string): Promise<boolean> {
    const { limit, windowMs } = this.options;
    const now = Date.now();
    const recent = (admitted.get(user) ?? []).filter((t) => t > now - windowMs);
    admitted.set(user, recent);
    if (recent.length >= limit) return false;
    recent.push(now);
    await this.redis.zadd(`ratelimit:${user}`, now, `${this.options.server}:${++this.requests}`);
    await this.redis.pexpire(`ratelimit:${user}`, windowMs);
    return true;
  }
}
