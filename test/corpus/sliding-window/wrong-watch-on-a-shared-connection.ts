// WATCH the set, count, then MULTI/EXEC, retried when EXEC answers nil — on the server's one shared
// connection. WATCH belongs to the connection: two requests of one server interleave, the first EXEC
// clears both watches, and the second request's EXEC goes through on a count that is out of date.
// Source: redis/node-redis#2613 (why WATCH needs an isolated client); raphaeldelio/redis-rate-limiter-
// java-example#1 (the WATCH fix it proposed); redis/go-redis#939.
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
  pexpire(key: string, milliseconds: number): Transaction;
  exec(): Promise<unknown[] | null>;
}

interface Watching {
  watch(...keys: string[]): Promise<string>;
  unwatch(): Promise<string>;
  zcount(key: string, min: number | string, max: number | string): Promise<number>;
  multi(): Transaction;
}

export class RateLimiter {
  private requests = 0;

  constructor(
    private readonly redis: Redis,
    private readonly options: LimiterOptions,
  ) {}

  async allow(user: string): Promise<boolean> {
    const { limit, windowMs, server } = this.options;
    const redis = this.redis as unknown as Watching;
    const key = `ratelimit:${user}`;
    const now = Date.now();
    for (;;) {
      await redis.watch(key);
      if ((await redis.zcount(key, `(${now - windowMs}`, now)) >= limit) {
        await redis.unwatch();
        return false;
      }
      const replies = await redis
        .multi()
        .zremrangebyscore(key, '-inf', now - windowMs)
        .zadd(key, now, `${server}:${++this.requests}`)
        .pexpire(key, windowMs)
        .exec();
      if (replies !== null) return true;
    }
  }
}
