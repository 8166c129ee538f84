// The pending batch is kept across failures, as it should be — but each attempt sends it under a fresh
// batch id, so a retry after a timeout-after-commit is a new batch to the database, and counts twice.
// Source: apache/fluss-rust#389 (idempotent writes need an id stable across retries); Stripe's
// idempotency keys (the same key on every retry).
export interface Redis {
  incr(key: string): Promise<number>;
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ...options: (string | number)[]): Promise<'OK' | null>;
  del(...keys: string[]): Promise<number>;
  eval(script: string, numkeys: number, ...keysAndArgs: (string | number)[]): Promise<unknown>;
  call(command: string, ...args: (string | number)[]): Promise<unknown>;
}

export interface Database {
  addViews(video: string, count: number, batch: string): Promise<void>;
}

export interface CounterOptions {
  server: string;
}

const TAKE = `
if redis.call('EXISTS', KEYS[2]) == 0 then
  local count = redis.call('GETDEL', KEYS[1])
  if not count then return false end
  redis.call('SET', KEYS[2], count)
end
return redis.call('GET', KEYS[2])`;

export class ViewCounter {
  private flushes = 0;

  constructor(
    private readonly redis: Redis,
    private readonly db: Database,
    private readonly options: CounterOptions,
  ) {}

  async view(video: string): Promise<void> {
    await this.redis.incr(`views:${video}`);
  }

  async flush(video: string): Promise<void> {
    const pending = `views:${video}:pending`;
    const count = await this.redis.eval(TAKE, 2, `views:${video}`, pending);
    if (count === null) return;
    await this.db.addViews(video, Number(count), `${this.options.server}:${++this.flushes}`);
    await this.redis.del(pending);
  }
}
