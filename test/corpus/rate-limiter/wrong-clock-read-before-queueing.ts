// Source: wazuh/wazuh#35192 (duplicate refill from a stale lastRefillTime) — the takes are queued
// per client, but each reads the clock when it is called, not when its turn comes: a take that
// waited stores a refilledAt older than the one before it, and the next take refills twice.
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
  private readonly tails = new Map<string, Promise<unknown>>();

  constructor(
    private readonly store: BucketStore,
    private readonly options: Options,
  ) {}

  tryTake(client: string): Promise<boolean> {
    const now = Date.now();
    const run = (this.tails.get(client) ?? Promise.resolve()).then(() => this.take(client, now));
    this.tails.set(
      client,
      run.catch(() => {}),
    );
    return run;
  }

  private async take(client: string, now: number): Promise<boolean> {
    const { capacity, refillPerSecond } = this.options;
    const bucket = (await this.store.get(client)) ?? { tokens: capacity, refilledAt: now };
    const tokens = Math.min(capacity, bucket.tokens + ((now - bucket.refilledAt) / 1000) * refillPerSecond);
    if (tokens < 1) return false;
    await this.store.set(client, { tokens: tokens - 1, refilledAt: now });
    return true;
  }
}
