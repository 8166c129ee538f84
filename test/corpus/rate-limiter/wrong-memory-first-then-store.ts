// Source: Ayushh-Sharmaa/NexaSphere#3016 (the in-memory token bucket beside the store) — buckets in
// memory, spent synchronously, written to the store afterwards: a failed write still spends the
// token, and a restart resumes from a store that does not match.
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
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly store: BucketStore,
    private readonly options: Options,
  ) {}

  async tryTake(client: string): Promise<boolean> {
    const { capacity, refillPerSecond } = this.options;
    const now = Date.now();
    const bucket = this.buckets.get(client) ?? { tokens: capacity, refilledAt: now };
    const tokens = Math.min(capacity, bucket.tokens + ((now - bucket.refilledAt) / 1000) * refillPerSecond);
    if (tokens < 1) return false;
    const next = { tokens: tokens - 1, refilledAt: now };
    this.buckets.set(client, next);
    await this.store.set(client, next);
    return true;
  }
}
