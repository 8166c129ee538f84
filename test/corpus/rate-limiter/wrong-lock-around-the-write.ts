// Source: Ayushh-Sharmaa/NexaSphere#3016 (get → calculate → set is not atomic) — a lock around the
// write alone: every request of a burst still reads the same bucket before any of them writes.
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

export class RateLimiter {
  private writes: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: BucketStore,
    private readonly options: Options,
  ) {}

  async tryTake(client: string): Promise<boolean> {
    const { capacity, refillPerSecond } = this.options;
    const bucket = await this.store.get(client);
    const now = Date.now();
    const { tokens: left, refilledAt } = bucket ?? { tokens: capacity, refilledAt: now };
    const tokens = Math.min(capacity, left + ((now - refilledAt) / 1000) * refillPerSecond);
    if (tokens < 1) return false;
    const write = this.writes.then(() => this.store.set(client, { tokens: tokens - 1, refilledAt: now }));
    this.writes = write.catch(() => {});
    await write;
    return true;
  }
}
