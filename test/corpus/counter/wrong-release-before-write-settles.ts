// A FIFO mutex released as soon as the write is sent, then the write is awaited: the next hit reads
// before the write lands.
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
    let write: Promise<void>;
    try {
      const n = (await this.kv.get(page)) ?? 0;
      write = this.kv.set(page, n + 1);
    } finally {
      this.mutex.release();
    }
    await write;
  }
  async count(page: string): Promise<number> {
    return (await this.kv.get(page)) ?? 0;
  }
}
