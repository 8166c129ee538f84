// Queued correctly, but hit resolves as soon as the work is queued, before the write lands.
export interface KV {
  get(key: string): Promise<number | undefined>;
  set(key: string, value: number): Promise<void>;
}

export class ViewCounter {
  private tail: Promise<void> = Promise.resolve();
  constructor(private readonly kv: KV) {}
  async hit(page: string): Promise<void> {
    this.tail = this.tail
      .then(async () => {
        const n = (await this.kv.get(page)) ?? 0;
        await this.kv.set(page, n + 1);
      })
      .catch(() => {});
  }
  async count(page: string): Promise<number> {
    return (await this.kv.get(page)) ?? 0;
  }
}
