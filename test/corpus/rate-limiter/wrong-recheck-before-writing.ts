// Source: praxis-proxy/ai#1016 (a compare that does not exclude anyone) — reading the bucket again
// just before the write and comparing: the check and the write are still two steps apart.
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
  constructor(
    private readonly store: BucketStore,
    private readonly options: Options,
  ) {}

  async tryTake(client: string): Promise<boolean> {
    const { capacity, refillPerSecond } = this.options;
    for (;;) {
      const before = await this.store.get(client);
      const now = Date.now();
      const { tokens: left, refilledAt } = before ?? { tokens: capacity, refilledAt: now };
      const tokens = Math.min(capacity, left + ((now - refilledAt) / 1000) * refillPerSecond);
      if (tokens < 1) return false;
      const again = await this.store.get(client);
      if (again?.tokens !== before?.tokens || again?.refilledAt !== before?.refilledAt) continue;
      await this.store.set(client, { tokens: tokens - 1, refilledAt: now });
      return true;
    }
  }
}
