// Right: an optimistic transaction moves the count into a pending batch: WATCH the counter, read it, and
// in MULTI delete it and store the batch with an id from INCR; EXEC answers nil when a view arrived in
// between, and the flush reads again. A pending batch is retried as it is. Source: the WATCH pattern
// (redis/redis-doc#888); apache/fluss-rust#389 on stable batch ids.
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

interface Transaction {
  del(key: string): Transaction;
  hset(key: string, ...fieldsAndValues: (string | number)[]): Transaction;
  exec(): Promise<unknown[] | null>;
}

interface Watching {
  watch(...keys: string[]): Promise<string>;
  unwatch(): Promise<string>;
  hmget(key: string, ...fields: string[]): Promise<(string | null)[]>;
  multi(): Transaction;
}

export class ViewCounter {
  constructor(
    private readonly redis: Redis,
    private readonly db: Database,
    _options: CounterOptions,
  ) {}

  async view(video: string): Promise<void> {
    await this.redis.incr(`views:${video}`);
  }

  private async take(video: string): Promise<[string, string] | null> {
    const redis = this.redis as unknown as Watching;
    const key = `views:${video}`;
    const pending = `views:${video}:pending`;
    for (;;) {
      const [count, id] = await redis.hmget(pending, 'count', 'id');
      if (count != null && id != null) return [count, id];
      await redis.watch(key);
      const counted = await this.redis.get(key);
      if (counted === null) {
        await redis.unwatch();
        return null;
      }
      const batch = String(await this.redis.incr(`views:${video}:batches`));
      const moved = await redis.multi().del(key).hset(pending, 'count', counted, 'id', batch).exec();
      if (moved !== null) return [counted, batch];
    }
  }

  async flush(video: string): Promise<void> {
    const taken = await this.take(video);
    if (taken === null) return;
    await this.db.addViews(video, Number(taken[0]), `${video}:${taken[1]}`);
    await this.redis.del(`views:${video}:pending`);
  }
}
