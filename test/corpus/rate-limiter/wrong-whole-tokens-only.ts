// Source: varnish/varnish-modules#243 and kent8192/reinhardt-web#2246 (the fractional refill lost on
// every admission) — serialised correctly, but the refill is truncated to whole tokens and the
// clock reset, so a request is refused although a token has built up.
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
    const run = (this.tails.get(client) ?? Promise.resolve()).then(() => this.take(client));
    this.tails.set(
      client,
      run.catch(() => {}),
    );
    return run;
  }

  private async take(client: string): Promise<boolean> {
    const { capacity, refillPerSecond } = this.options;
    const bucket = await this.store.get(client);
    const now = Date.now();
    const { tokens: left, refilledAt } = bucket ?? { tokens: capacity, refilledAt: now };
    const gained = Math.floor(((now - refilledAt) / 1000) * refillPerSecond);
    const tokens = Math.min(capacity, Math.floor(left) + gained);
    if (tokens < 1) {
      await this.store.set(client, { tokens, refilledAt: now });
      return false;
    }
    await this.store.set(client, { tokens: tokens - 1, refilledAt: now });
    return true;
  }
}
