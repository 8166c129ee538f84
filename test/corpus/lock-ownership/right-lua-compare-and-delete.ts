// Right: SET NX PX with a per-acquisition token, released by a Lua compare-and-delete in finally.
// Source: the SET command's documented lock pattern; nexspence/nexspence#226 (the fix of #223).
export interface Redis {
  set(key: string, value: string, ...options: (string | number)[]): Promise<'OK' | null>;
  setnx(key: string, value: string): Promise<number>;
  get(key: string): Promise<string | null>;
  del(...keys: string[]): Promise<number>;
  pexpire(key: string, milliseconds: number): Promise<number>;
  eval(script: string, numkeys: number, ...keysAndArgs: (string | number)[]): Promise<unknown>;
  call(command: string, ...args: (string | number)[]): Promise<unknown>;
}

export interface LockOptions {
  key: string;
  ttlMs: number;
  owner: string;
}

const COMPARE_AND_DELETE = `
local held = redis.call('GET', KEYS[1])
if held ~= ARGV[1] then return 0 end
return redis.call('DEL', KEYS[1])`;

let calls = 0;

export class JobLock {
  constructor(
    private readonly redis: Redis,
    private readonly options: LockOptions,
  ) {}

  async runExclusive(job: () => Promise<void>): Promise<boolean> {
    const { key, ttlMs, owner } = this.options;
    calls += 1;
    const token = `${owner}/${calls}`;
    const taken = await this.redis.set(key, token, 'NX', 'PX', ttlMs);
    if (taken === null) return false;
    try {
      await job();
      return true;
    } finally {
      await this.redis.eval(COMPARE_AND_DELETE, 1, key, token);
    }
  }
}
