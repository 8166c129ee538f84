// A unique token and SET NX PX, but the release is a plain DEL: a server whose lease ran out deletes the
// lock the next holder took. Source: nexspence/nexspence#223 ("Release deletes the lock key
// unconditionally, no ownership check"); the token was written and never read back.
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
    try {
      await job();
    } finally {
      await this.redis.del(key);
    }
    return true;
  }
}
