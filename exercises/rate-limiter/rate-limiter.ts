/**
 * The rate limiter in front of a public API: each client gets a token bucket. A request takes one
 * token or is refused with 429; tokens come back at a steady rate, up to the bucket's capacity.
 * The buckets are kept in a store, so a restart does not hand every client a full bucket again.
 */
export interface Bucket {
  /** Tokens left; may be fractional (a token partly refilled). */
  tokens: number;
  /** When `tokens` was computed (ms, as Date.now() gives). */
  refilledAt: number;
}

export interface BucketStore {
  /** The client's bucket, or undefined for a client never seen. */
  get(client: string): Promise<Bucket | undefined>;
  set(client: string, bucket: Bucket): Promise<void>;
}

export interface Options {
  /** Most tokens a bucket holds; a client never seen starts with a full bucket. */
  capacity: number;
  /** Tokens added per second, continuously. */
  refillPerSecond: number;
}

export class RateLimiter {
  constructor(
    private readonly store: BucketStore,
    private readonly options: Options,
  ) {}

  /** Takes one token from `client`'s bucket: true if there was one, false (429) if not. */
  async tryTake(client: string): Promise<boolean> {
    const { capacity, refillPerSecond } = this.options;
    const now = Date.now();
    const bucket = (await this.store.get(client)) ?? { tokens: capacity, refilledAt: now };
    const tokens = Math.min(capacity, bucket.tokens + ((now - bucket.refilledAt) / 1000) * refillPerSecond);
    if (tokens < 1) return false;
    await this.store.set(client, { tokens: tokens - 1, refilledAt: now });
    return true;
  }
}
