// GETDEL, add, and on failure put the count back with INCRBY so the next flush sends it again, under a
// new batch id: when the failure was a timeout after the commit, the views are counted twice. Source:
// major7apps/pensyve#87 review (the batch requeued whole, with no idempotency key); apache/fluss-rust#389.
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
    const count = Number((await this.redis.call('GETDEL', key)) ?? '0');
    if (count === 0) return;
    try {
      await this.db.addViews(video, count, `${this.options.server}:${++this.flushes}`);
    } catch (error) {
      await this.redis.call('INCRBY', key, count);
      throw error;
    }
  }
}
