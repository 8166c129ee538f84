// Atomic, but add first and count after, in one MULTI: a refused request stays in the set, so a client
// that keeps retrying is refused forever. Source: peterkhayes/rolling-rate-limiter#36 ("if an action is
// blocked, it is still added to the set"), tj/node-ratelimiter#43, the notes' Q7 sample.
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
  zadd(key: string, score: number, member: string): Transaction;
  zcard(key: string): Transaction;
  pexpire(key: string, milliseconds: number): Transaction;
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
      .zadd(key, now, `${server}:${++this.requests}`)
      .zcard(key)
      .pexpire(key, windowMs)
      .exec();
    return Number(replies?.[2]) <= limit;
  }
}
