// A mutex released after the body but not in finally: one failed set keeps it locked forever.
export interface KV {
  get(key: string): Promise<number | undefined>;
  set(key: string, value: number): Promise<void>;
}

export class ViewCounter {
  private locked = false;
  private waiters: (() => void)[] = [];
  constructor(private readonly kv: KV) {}
  private async lock(): Promise<void> {
    while (this.locked) await new Promise<void>((resolve) => this.waiters.push(resolve));
    this.locked = true;
  }
  private unlock(): void {
    this.locked = false;
    this.waiters.shift()?.();
  }
  async hit(page: string): Promise<void> {
    await this.lock();
    const n = (await this.kv.get(page)) ?? 0;
    await this.kv.set(page, n + 1);
    this.unlock();
  }
  async count(page: string): Promise<number> {
    return (await this.kv.get(page)) ?? 0;
  }
}
