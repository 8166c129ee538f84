// The old SETNX recipe: the value is the expiry time, a stale lock is taken over with GETSET, and the
// key has no TTL. A holder that overran releases with DEL and deletes the lock a newer holder took
// over. Source: the SETNX page's "Handling deadlocks" pattern, phpnode/YiiRedis#18, redis/redis-py#415.
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

export class JobLock {
  constructor(
    private readonly redis: Redis,
    private readonly options: LockOptions,
  ) {}

  private async acquire(): Promise<boolean> {
    const { key, ttlMs } = this.options;
    const until = String(Date.now() + ttlMs + 1);
    if ((await this.redis.setnx(key, until)) === 1) return true;
    const current = await this.redis.get(key);
    if (current === null || Number(current) >= Date.now()) return false;
    const previous = await this.redis.call('GETSET', key, until);
    return previous === null || Number(previous) < Date.now();
  }

  async runExclusive(job: () => Promise<void>): Promise<boolean> {
    if (!(await this.acquire())) return false;
    try {
      await job();
    } finally {
      await this.redis.del(this.options.key);
    }
    return true;
  }
}
