// Right: one script takes the count into a pending batch with its id (or hands back the batch a failed
// flush left), the database gets it under that id, and only then is it deleted. Source: CURRICULUM E19
// right (a) (a flush through a script that records the batch); the gumroad#7489 review's fix.
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
local pending = redis.call('HMGET', KEYS[2], 'count', 'id')
if pending[1] then return pending end
local count = redis.call('GET', KEYS[1])
if not count then return false end
redis.call('DEL', KEYS[1])
local id = redis.call('INCR', KEYS[3])
redis.call('HSET', KEYS[2], 'count', count, 'id', id)
return { count, tostring(id) }`;

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
    const keys = [`views:${video}`, `views:${video}:pending`, `views:${video}:batches`];
    const taken = (await this.redis.eval(TAKE, 3, ...keys)) as [string, string] | null;
    if (taken === null) return;
    await this.db.addViews(video, Number(taken[0]), `${video}#${taken[1]}`);
    await this.redis.del(keys[1]!);
  }
}
