// A mutex per page, deleted from the map when its holder unlocks: the woken waiter still uses the old
// one while a newcomer creates a fresh mutex for the same page.
export interface KV {
  get(key: string): Promise<number | undefined>;
  set(key: string, value: number): Promise<void>;
}
class Mutex {
  locked = false;
  readonly waiters: (() => void)[] = [];
  async lock(): Promise<void> {
    while (this.locked) await new Promise<void>((resolve) => this.waiters.push(resolve));
    this.locked = true;
  }
  unlock(): void {
    this.locked = false;
    this.waiters.shift()?.();
  }
}
export class ViewCounter {
  private readonly mutexes = new Map<string, Mutex>();
  constructor(private readonly kv: KV) {}
  async hit(page: string): Promise<void> {
    let mutex = this.mutexes.get(page);
    if (!mutex) {
      mutex = new Mutex();
      this.mutexes.set(page, mutex);
    }
    await mutex.lock();
    try {
      const n = (await this.kv.get(page)) ?? 0;
      await this.kv.set(page, n + 1);
    } finally {
      mutex.unlock();
      this.mutexes.delete(page);
    }
  }
  async count(page: string): Promise<number> {
    return (await this.kv.get(page)) ?? 0;
  }
}
