// Source: kent8192/reinhardt-web#1658 (one lock around the whole rate-limit store) — correct
// answers, but one client's slow store call holds up every other client's requests.
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
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: BucketStore,
    private readonly options: Options,
  ) {}

  tryTake(client: string): Promise<boolean> {
    const run = this.tail.then(() => this.take(client));
    this.tail = run.catch(() => {});
    return run;
  }

  private async take(client: string): Promise<boolean> {
    const { capacity, refillPerSecond } = this.options;
    const bucket = await this.store.get(client);
    const now = Date.now();
    const { tokens: left, refilledAt } = bucket ?? { tokens: capacity, refilledAt: now };
    const tokens = Math.min(capacity, left + ((now - refilledAt) / 1000) * refillPerSecond);
    if (tokens < 1) return false;
    await this.store.set(client, { tokens: tokens - 1, refilledAt: now });
    return true;
  }
}
