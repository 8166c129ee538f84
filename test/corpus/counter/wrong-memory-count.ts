// Counts in memory, serialised, and writes the in-memory count through: never reads the store, so
// counts already in the KV (another instance, a restart) are overwritten from 0.
export interface KV {
  get(key: string): Promise<number | undefined>;
  set(key: string, value: number): Promise<void>;
}

export class ViewCounter {
  private readonly counts = new Map<string, number>();
  private tail: Promise<unknown> = Promise.resolve();
  constructor(private readonly kv: KV) {}
  hit(page: string): Promise<void> {
    const run = this.tail.then(async () => {
      const next = (this.counts.get(page) ?? 0) + 1;
      await this.kv.set(page, next);
      this.counts.set(page, next);
    });
    this.tail = run.catch(() => {});
    return run;
  }
  async count(page: string): Promise<number> {
    return (await this.kv.get(page)) ?? 0;
  }
}
