// Source: kent8192/reinhardt-web#1658 (hold the lock across get, consume and update) — a per-client
// busy flag taken in the same synchronous step that tests it, polled with a short timer; correct
// under any fair schedule, if wasteful (waiting on a promise would be better).
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
  private readonly busy = new Set<string>();

  constructor(
    private readonly store: BucketStore,
    private readonly options: Options,
  ) {}

  async tryTake(client: string): Promise<boolean> {
    while (this.busy.has(client)) await new Promise((resolve) => setTimeout(resolve, 1 + Math.random() * 4));
    this.busy.add(client);
    try {
      const { capacity, refillPerSecond } = this.options;
      const stored = await this.store.get(client);
      const now = Date.now();
      const bucket = stored ?? { tokens: capacity, refilledAt: now };
      const tokens = Math.min(capacity, bucket.tokens + ((now - bucket.refilledAt) / 1000) * refillPerSecond);
      if (tokens < 1) return false;
      await this.store.set(client, { tokens: tokens - 1, refilledAt: now });
      return true;
    } finally {
      this.busy.delete(client);
    }
  }
}
