// Source: DirtyHairy/async-mutex#44 ("you create a new instance of the mutex each time": calls that
// should exclude each other each hold a lock of their own) — the lock is made inside tryTake.
export interface Bucket {
  tokens: number;
  refilledAt: number;
}

export interface BucketStore {
  get(client: string): Promise<Bucket | undefined>;
  set(client: string, bucket: Bucket): Promise<void>;
}

export interface Options {
  capacity: number;
  refillPerSecond: number;
}

class Mutex {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work);
    this.tail = result.catch(() => {});
    return result;
  }
}

export class RateLimiter {
  constructor(
    private readonly store: BucketStore,
    private readonly options: Options,
  ) {}

  tryTake(client: string): Promise<boolean> {
    const lock = new Mutex();
    return lock.run(async () => {
      const { capacity, refillPerSecond } = this.options;
      const stored = await this.store.get(client);
      const now = Date.now();
      const bucket = stored ?? { tokens: capacity, refilledAt: now };
      const tokens = Math.min(capacity, bucket.tokens + ((now - bucket.refilledAt) / 1000) * refillPerSecond);
      if (tokens < 1) return false;
      await this.store.set(client, { tokens: tokens - 1, refilledAt: now });
      return true;
    });
  }
}
