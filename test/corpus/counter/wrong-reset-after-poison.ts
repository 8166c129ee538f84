// A global chain without a catch, "healed" once the failure reaches the tail: hits already queued
// behind a failed write are rejected without ever trying to count.
export interface KV {
  get(key: string): Promise<number | undefined>;
  set(key: string, value: number): Promise<void>;
}

export class ViewCounter {
  private tail: Promise<void> = Promise.resolve();
  constructor(private readonly kv: KV) {}
  hit(page: string): Promise<void> {
    const run = this.tail.then(async () => {
      const n = (await this.kv.get(page)) ?? 0;
      await this.kv.set(page, n + 1);
    });
    this.tail = run;
    run.catch(() => {
      if (this.tail === run) this.tail = Promise.resolve();
    });
    return run;
  }
  async count(page: string): Promise<number> {
    return (await this.kv.get(page)) ?? 0;
  }
}
