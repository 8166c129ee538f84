// The release skips the DEL when the lease has run out by the local clock, and deletes otherwise: the
// lease can run out, and another server take the lock, between that check and the DEL. Source:
// abelaska/jedis-lock#2 ("Don't del lockkey if it is expired"), redis/redis-py#479.
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
  private acquisitions = 0;

  constructor(
    private readonly redis: Redis,
    private readonly options: LockOptions,
  ) {}

  async runExclusive(job: () => Promise<void>): Promise<boolean> {
    const { key, ttlMs, owner } = this.options;
    const token = `${owner}:${++this.acquisitions}`;
    if ((await this.redis.set(key, token, 'NX', 'PX', ttlMs)) !== 'OK') return false;
    const expiresAt = Date.now() + ttlMs;
    try {
      await job();
    } finally {
      if (Date.now() < expiresAt) await this.redis.del(key);
    }
    return true;
  }
}
