// Chains each hit with prev.finally(...): the hit runs after a failed one, but finally() passes the
// earlier rejection on, so a hit that was counted still rejects.
export interface KV {
  get(key: string): Promise<number | undefined>;
  set(key: string, value: number): Promise<void>;
}

export class ViewCounter {
  private tail: Promise<void> = Promise.resolve();
  constructor(private readonly kv: KV) {}
  hit(page: string): Promise<void> {
    const run = this.tail.finally(async () => {
      const n = (await this.kv.get(page)) ?? 0;
      await this.kv.set(page, n + 1);
    });
    this.tail = run;
    return run;
  }
  async count(page: string): Promise<number> {
    return (await this.kv.get(page)) ?? 0;
  }
}
