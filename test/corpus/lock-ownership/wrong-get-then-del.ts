// The ownership check done in the client: GET, compare, then DEL. The lease can run out and another
// server can take the lock between the GET and the DEL. Source: redis/redis#4308 (the worry, which
// holds for a client-side compare but not for the Lua script); eclipse-leshan/leshan#837.
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
      if ((await this.redis.get(key)) === token) await this.redis.del(key);
    }
    return true;
  }
}
