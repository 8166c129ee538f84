// Right: the release is an optimistic transaction: WATCH the key, GET it, and only if it is ours
// MULTI/DEL/EXEC; EXEC answers nil when the key changed in between, and the release looks again.
// Source: eclipse-leshan/leshan#843 (SingleInstanceJedisLock.release with WATCH), CURRICULUM E16 (b).
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

interface Transaction {
  del(key: string): Transaction;
  exec(): Promise<unknown[] | null>;
}

interface RedisWithTransactions extends Redis {
  watch(...keys: string[]): Promise<string>;
  unwatch(): Promise<string>;
  multi(): Transaction;
}

export class JobLock {
  private acquisitions = 0;
  private readonly redis: RedisWithTransactions;

  constructor(
    redis: Redis,
    private readonly options: LockOptions,
  ) {
    this.redis = redis as RedisWithTransactions;
  }

  private async release(token: string): Promise<void> {
    const { key } = this.options;
    for (;;) {
      await this.redis.watch(key);
      if ((await this.redis.get(key)) !== token) {
        await this.redis.unwatch();
        return;
      }
      if ((await this.redis.multi().del(key).exec()) !== null) return;
    }
  }

  async runExclusive(job: () => Promise<void>): Promise<boolean> {
    const { key, ttlMs, owner } = this.options;
    const token = `${owner}:${++this.acquisitions}`;
    if ((await this.redis.set(key, token, 'NX', 'PX', ttlMs)) !== 'OK') return false;
    try {
      await job();
    } finally {
      await this.release(token);
    }
    return true;
  }
}
