// One chain for every page: slower than per-page, but correct.
export interface KV {
  get(key: string): Promise<number | undefined>;
  set(key: string, value: number): Promise<void>;
}

export class ViewCounter {
  private tail: Promise<unknown> = Promise.resolve();
  constructor(private readonly kv: KV) {}
  hit(page: string): Promise<void> {
    const run = this.tail.then(async () => {
      const n = (await this.kv.get(page)) ?? 0;
      await this.kv.set(page, n + 1);
    });
    this.tail = run.catch(() => {});
    return run;
  }
  async count(page: string): Promise<number> {
    return (await this.kv.get(page)) ?? 0;
  }
}
