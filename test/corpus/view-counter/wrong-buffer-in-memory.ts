// Views buffered in the server's memory and written to Redis only at flush: a view answered for is lost
// if the server dies, and one server's flush never sees another server's buffer. Source: the notes' Q10
// ("local buffer, batch every 10 s"), corrected in CURRICULUM §4.12.
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

const buffered = new Map<string, number>();

export class ViewCounter {
  private flushes = 0;

  constructor(
    private readonly redis: Redis,
    private readonly db: Database,
    private readonly options: CounterOptions,
  ) {}

  async view(video: string): Promise<void> {
    buffered.set(video, (buffered.get(video) ?? 0) + 1);
  }

  async flush(video: string): Promise<void> {
    const count = buffered.get(video) ?? 0;
    buffered.delete(video);
    if (count > 0) await this.redis.call('INCRBY', `views:${video}`, count);
    const total = Number((await this.redis.call('GETDEL', `views:${video}`)) ?? '0');
    if (total === 0) return;
    await this.db.addViews(video, total, `${this.options.server}:${++this.flushes}`);
  }
}
