// Trim and count in one pipeline, then add in a second command when there was room: every server can
// count before any of them adds. Source: nexoraorg/chenaikit#230 review ("the sliding window check and
// member addition are not atomic"); raphaeldelio/redis-rate-limiter-java-example#1.
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

interface Transaction {
  zremrangebyscore(key: string, min: number | string, max: number | string): Transaction;
  zcard(key: string): Transaction;
  exec(): Promise<unknown[] | null>;
}

export class RateLimiter {
  private requests = 0;

  constructor(
    private readonly redis: Redis,
    private readonly options: LimiterOptions,
  ) {}

  async allow(user: string): Promise<boolean> {
    const { limit, windowMs, server } = this.options;
    const key = `ratelimit:${user}`;
    const now = Date.now();
    const multi = (this.redis as unknown as { multi(): Transaction }).multi();
    const replies = await multi
      .zremrangebyscore(key, '-inf', now - windowMs)
      .zcard(key)
      .exec();
    if (Number(replies?.[1]) >= limit) return false;
    await this.redis.zadd(key, now, `${server}:${++this.requests}`);
    await this.redis.pexpire(key, windowMs);
    return true;
  }
}
