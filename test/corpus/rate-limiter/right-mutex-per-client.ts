// Source: Ayushh-Sharmaa/NexaSphere#3016 ("the fallback should use a mutex to make the
// read-modify-write atomic") — one promise-chain mutex per client, the clock read inside it.
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
  private readonly locks = new Map<string, Mutex>();

  constructor(
    private readonly store: BucketStore,
    private readonly options: Options,
  ) {}

  tryTake(client: string): Promise<boolean> {
    let lock = this.locks.get(client);
    if (!lock) {
      lock = new Mutex();
      this.locks.set(client, lock);
    }
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
