/**
 * The view counter behind "1,024 views" under every video.
 * The counts live in a key-value store that other services read too.
 */
export interface KV {
  get(key: string): Promise<number | undefined>;
  set(key: string, value: number): Promise<void>;
}

export class ViewCounter {
  constructor(private readonly kv: KV) {}

  /** Count one more view of `page`. */
  async hit(page: string): Promise<void> {
    const current = (await this.kv.get(page)) ?? 0;
    await this.kv.set(page, current + 1);
  }

  /** How many views `page` has had; 0 for a page never hit. */
  async count(page: string): Promise<number> {
    return (await this.kv.get(page)) ?? 0;
  }
}
