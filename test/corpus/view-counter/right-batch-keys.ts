// Right: each flush renames the live counter to a batch key of its own (its id from INCR), then flushes
// every batch key still there — earlier failed ones included — each under its own id, deleting it once
// the database has it. Source: buildbuddy-io/buildbuddy#6036 (delete each group only after its flush).
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

const MOVE = `
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('RENAME', KEYS[1], KEYS[2] .. redis.call('INCR', KEYS[3]))
end
return redis.call('KEYS', KEYS[2] .. '*')`;

export class ViewCounter {
  constructor(
    private readonly redis: Redis,
    private readonly db: Database,
    _options: CounterOptions,
  ) {}

  async view(video: string): Promise<void> {
    await this.redis.incr(`views:${video}`);
  }

  async flush(video: string): Promise<void> {
    const prefix = `views:${video}:batch:`;
    const batches = (await this.redis.eval(
      MOVE,
      3,
      `views:${video}`,
      prefix,
      `views:${video}:batches`,
    )) as string[];
    for (const batch of batches.sort()) {
      const count = Number((await this.redis.get(batch)) ?? '0');
      await this.db.addViews(video, count, batch);
      await this.redis.del(batch);
    }
  }
}
