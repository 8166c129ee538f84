// GET, add, then SET 0 — with a batch id that is stable across retries, so failures are handled; but every
// view counted between the GET and the SET is wiped out. Source: the notes' Q10 flush (read the count,
// write it to the database, reset); nateware/redis-objects#42 (why GETSET exists).
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
    const key = `views:${video}`;
    const count = Number((await this.redis.get(key)) ?? '0');
    if (count === 0) return;
    await this.db.addViews(video, count, `${this.options.server}:${this.flushes}`);
    await this.redis.set(key, '0');
    this.flushes++;
  }
}
