// RENAME the counter to a pending key, add, then delete it: but RENAME overwrites its destination, so the
// next flush after a failure replaces the pending batch with the new views, and the failed batch is lost.
// Source: the RENAME page ("if newkey already exists it is overwritten"); buildbuddy-io/buildbuddy#6036.
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
    const pending = `views:${video}:pending`;
    try {
      await this.redis.call('RENAME', key, pending);
    } catch {
      return;
    }
    const count = Number((await this.redis.get(pending)) ?? '0');
    await this.db.addViews(video, count, `${this.options.server}:${++this.flushes}`);
    await this.redis.del(pending);
  }
}
