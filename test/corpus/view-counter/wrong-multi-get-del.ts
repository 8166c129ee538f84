// GET and DEL in one MULTI: an atomic read-and-reset, so no view slips between them; but the batch lives
// only in this flush's memory, and a failed addViews loses it. Source: buildbuddy-io/buildbuddy#6036
// (a flush that deletes before the database has the counts); the gumroad#7489 review.
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
  get(key: string): Transaction;
  del(key: string): Transaction;
  exec(): Promise<unknown[] | null>;
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
    const multi = (this.redis as unknown as { multi(): Transaction }).multi();
    const replies = await multi.get(key).del(key).exec();
    const count = Number(replies?.[0] ?? '0');
    if (count === 0) return;
    await this.db.addViews(video, count, `${this.options.server}:${++this.flushes}`);
  }
}
