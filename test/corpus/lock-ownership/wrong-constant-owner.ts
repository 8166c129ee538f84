// The lock value is the server's name (host:pid), the same for every call on that server: a call whose
// lease ran out releases the lock a second call of the same server holds now. Source:
// mlanett/redis-lock#20 ("two threads share the same owner key").
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

const RELEASE =
  "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

export class JobLock {
  constructor(
    private readonly redis: Redis,
    private readonly options: LockOptions,
  ) {}

  async runExclusive(job: () => Promise<void>): Promise<boolean> {
    const { key, ttlMs, owner } = this.options;
    if ((await this.redis.set(key, owner, 'NX', 'PX', ttlMs)) !== 'OK') return false;
    try {
      await job();
    } finally {
      await this.redis.eval(RELEASE, 1, key, owner);
    }
    return true;
  }
}
