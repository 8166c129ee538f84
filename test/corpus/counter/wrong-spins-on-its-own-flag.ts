// A waiting hit polls a flag that only a finished hit clears — but the flag is set before the wait
// by the waiter itself, so each waiter spins on its own flag: under a fair scheduler it never ends.
export interface KV {
  get(key: string): Promise<number | undefined>;
  set(key: string, value: number): Promise<void>;
}

export class ViewCounter {
  private waiting = 0;

  constructor(private readonly kv: KV) {}

  async hit(page: string): Promise<void> {
    this.waiting++;
    while (this.waiting > 1) await this.kv.get(page);
    try {
      const current = (await this.kv.get(page)) ?? 0;
      await this.kv.set(page, current + 1);
    } finally {
      this.waiting--;
    }
  }

  async count(page: string): Promise<number> {
    return (await this.kv.get(page)) ?? 0;
  }
}
