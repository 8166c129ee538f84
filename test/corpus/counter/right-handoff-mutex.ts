// A mutex with a FIFO queue that hands the lock straight to the next waiter, released in finally.
export interface KV {
  get(key: string): Promise<number | undefined>;
  set(key: string, value: number): Promise<void>;
}

class Mutex {
  private held = false;
  private readonly queue: (() => void)[] = [];
  async acquire(): Promise<void> {
    if (!this.held) {
      this.held = true;
      return;
    }
    await new Promise<void>((resolve) => this.queue.push(resolve));
  }
  release(): void {
    const next = this.queue.shift();
    if (next) next();
    else this.held = false;
  }
}
export class ViewCounter {
  private readonly mutex = new Mutex();
  constructor(private readonly kv: KV) {}
  async hit(page: string): Promise<void> {
    await this.mutex.acquire();
    try {
      const n = (await this.kv.get(page)) ?? 0;
      await this.kv.set(page, n + 1);
    } finally {
      this.mutex.release();
    }
  }
  async count(page: string): Promise<number> {
    return (await this.kv.get(page)) ?? 0;
  }
}
