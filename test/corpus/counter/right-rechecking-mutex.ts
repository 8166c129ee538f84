// Waiters re-check the flag after waking: a newcomer may barge, but never two holders at once.
export interface KV {
  get(key: string): Promise<number | undefined>;
  set(key: string, value: number): Promise<void>;
}

export class ViewCounter {
  private locked = false;
  private waiters: (() => void)[] = [];
  constructor(private readonly kv: KV) {}
  async hit(page: string): Promise<void> {
    while (this.locked) await new Promise<void>((resolve) => this.waiters.push(resolve));
    this.locked = true;
    try {
      const n = (await this.kv.get(page)) ?? 0;
      await this.kv.set(page, n + 1);
    } finally {
      this.locked = false;
      this.waiters.shift()?.();
    }
  }
  async count(page: string): Promise<number> {
    return (await this.kv.get(page)) ?? 0;
  }
}
