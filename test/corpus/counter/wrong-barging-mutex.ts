// A mutex that wakes a waiter but lets a newcomer take the lock before the waiter resumes; the
// waiter does not re-check, so two hits run the critical section together.
export interface KV {
  get(key: string): Promise<number | undefined>;
  set(key: string, value: number): Promise<void>;
}

export class ViewCounter {
  private locked = false;
  private waiters: (() => void)[] = [];
  constructor(private readonly kv: KV) {}
  private async lock(): Promise<void> {
    if (this.locked) await new Promise<void>((resolve) => this.waiters.push(resolve));
    this.locked = true;
  }
  private unlock(): void {
    this.locked = false;
    this.waiters.shift()?.();
  }
  async hit(page: string): Promise<void> {
    await this.lock();
    try {
      const n = (await this.kv.get(page)) ?? 0;
      await this.kv.set(page, n + 1);
    } finally {
      this.unlock();
    }
  }
  async count(page: string): Promise<number> {
    return (await this.kv.get(page)) ?? 0;
  }
}
