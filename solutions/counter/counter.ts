/**
 * The view counter behind "1,024 views" under every video.
 * The counts live in a key-value store that other services read too.
 */
export interface KV {
  get(key: string): Promise<number | undefined>;
  set(key: string, value: number): Promise<void>;
}

export class ViewCounter {
  /** Each page's hits run one after another: the tail of the page's queue. */
  private readonly tails = new Map<string, Promise<void>>();

  constructor(private readonly kv: KV) {}

  /** Count one more view of `page`. */
  hit(page: string): Promise<void> {
    const previous = this.tails.get(page) ?? Promise.resolve();
    const run = previous.then(() => this.increment(page));
    // The next hit waits for this one whether it succeeds or fails: one failed write must not block the rest.
    const tail = run.catch(() => {});
    this.tails.set(page, tail);
    void tail.then(() => {
      if (this.tails.get(page) === tail) this.tails.delete(page);
    });
    return run;
  }

  /** How many views `page` has had; 0 for a page never hit. */
  async count(page: string): Promise<number> {
    return (await this.kv.get(page)) ?? 0;
  }

  private async increment(page: string): Promise<void> {
    const current = (await this.kv.get(page)) ?? 0;
    await this.kv.set(page, current + 1);
  }
}
