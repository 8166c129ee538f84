// GETSET to zero, then add: nothing counted in between is lost, but a failed addViews loses the whole
// batch, which is no longer in Redis. Source: antiwork/gumroad#7489 review ("Flush acknowledges deltas
// too early": GETSET zeroes the delta, then update_counters raises); nateware/redis-objects#42.
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
    const count = Number((await this.redis.call('GETSET', `views:${video}`, '0')) ?? '0');
    if (count === 0) return;
    await this.db.addViews(video, count, `${this.options.server}:${++this.flushes}`);
  }
}
