// A fixed window: INCR a counter per window number, with its expiry in the same MULTI. Atomic, but the
// window resets on its boundary: limit requests just before it and limit just after are 2 × limit in
// one sliding window. Source: the INCR page's rate-limiter pattern; Kong/kong#8227 (moved to a sliding
// window "for better accuracy"); mbg/wai-rate-limit#7.
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
  incr(key: string): Transaction;
  pexpire(key: string, milliseconds: number): Transaction;
  exec(): Promise<unknown[] | null>;
}

export class RateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly options: LimiterOptions,
  ) {}

  async allow(user: string): Promise<boolean> {
    const { limit, windowMs } = this.options;
    const slot = Math.floor(Date.now() / windowMs);
    const key = `ratelimit:${user}:${slot}`;
    const multi = (this.redis as unknown as { multi(): Transaction }).multi();
    const replies = await multi.incr(key).pexpire(key, windowMs).exec();
    return Number(replies?.[0]) <= limit;
  }
}
