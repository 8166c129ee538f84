// EXISTS, then SET with a lease: check-then-act across two commands, so two servers both see the key
// missing and both take the lock. Source: the notes' own counter-example (003, Q4: `if
// (!redis.exists("lock")) redis.set(...)`); josiahcarlson/redis-in-action#72.
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
  private acquisitions = 0;

  constructor(
    private readonly redis: Redis,
    private readonly options: LockOptions,
  ) {}

  async runExclusive(job: () => Promise<void>): Promise<boolean> {
    const { key, ttlMs, owner } = this.options;
    if (Number(await this.redis.call('EXISTS', key)) === 1) return false;
    const token = `${owner}:${++this.acquisitions}`;
    await this.redis.set(key, token, 'PX', ttlMs);
    try {
      await job();
    } finally {
      await this.redis.eval(RELEASE, 1, key, token);
    }
    return true;
  }
}
