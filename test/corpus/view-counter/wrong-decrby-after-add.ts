// GET, add, then DECRBY what was sent: views counted meanwhile survive, and a failure before the commit
// leaves the count for the next flush. A timeout after the commit does too — and the next flush sends
// it again under a new id. Source: apache/fluss-rust#389 ("a timeout where the server received the batch
// but the ack was lost results in silent duplicate records").
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
    await this.db.addViews(video, count, `${this.options.server}:${++this.flushes}`);
    await this.redis.call('DECRBY', key, count);
  }
}
