// Source: wazuh/wazuh#35192 (duplicate refill from a stale lastRefillTime) — a per-client busy flag
// makes the takes exclusive, but not first-come-first-served, and each take reads the clock before
// it waits: a take that waited stores a refilledAt older than the one before it, and the next take
// refills the same time twice.
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
    const now = Date.now();
    while (this.busy.has(client)) await new Promise((resolve) => setTimeout(resolve, 5));
    this.busy.add(client);
    try {
      const { capacity, refillPerSecond } = this.options;
      const bucket = (await this.store.get(client)) ?? { tokens: capacity, refilledAt: now };
      const tokens = Math.min(capacity, bucket.tokens + ((now - bucket.refilledAt) / 1000) * refillPerSecond);
      if (tokens < 1) return false;
      await this.store.set(client, { tokens: tokens - 1, refilledAt: now });
      return true;
    } finally {
      this.busy.delete(client);
    }
  }
}
