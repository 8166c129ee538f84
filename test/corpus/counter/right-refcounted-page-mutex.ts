// A hand-off mutex per page, removed from the map only when no hit holds it or waits for it.
export interface KV {
  get(key: string): Promise<number | undefined>;
  set(key: string, value: number): Promise<void>;
}

class PageLock {
  users = 0;
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
  private readonly locks = new Map<string, PageLock>();
  constructor(private readonly kv: KV) {}
  async hit(page: string): Promise<void> {
    let lock = this.locks.get(page);
    if (!lock) {
      lock = new PageLock();
      this.locks.set(page, lock);
    }
    lock.users++;
    await lock.acquire();
    try {
      const n = (await this.kv.get(page)) ?? 0;
      await this.kv.set(page, n + 1);
    } finally {
      lock.release();
      if (--lock.users === 0) this.locks.delete(page);
    }
  }
  async count(page: string): Promise<number> {
    return (await this.kv.get(page)) ?? 0;
  }
}
