// SETNX, then PEXPIRE as a second command: a server that dies between the two leaves a lock with no
// expiry, and the job never runs again. The rest is right. Source: laravel/horizon#1738 ("Lock::get()
// uses non-atomic SETNX + EXPIRE"), getsentry/sentry#1509, gzigzigzeo/sidekiq-grouping#23.
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
    const token = `${owner}:${++this.acquisitions}`;
    if ((await this.redis.setnx(key, token)) !== 1) return false;
    await this.redis.pexpire(key, ttlMs);
    try {
      await job();
    } finally {
      await this.redis.eval(RELEASE, 1, key, token);
    }
    return true;
  }
}
