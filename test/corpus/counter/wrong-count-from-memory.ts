// hit is a correct per-page chain, but count() answers an optimistic in-memory tally that is bumped
// when a hit starts: it counts hits not yet stored (and, until they settle, ones that will fail).
export interface KV {
  get(key: string): Promise<number | undefined>;
  set(key: string, value: number): Promise<void>;
}

export class ViewCounter {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly seen = new Map<string, number>();
  constructor(private readonly kv: KV) {}
  hit(page: string): Promise<void> {
    this.seen.set(page, (this.seen.get(page) ?? 0) + 1);
    const run = (this.tails.get(page) ?? Promise.resolve()).then(async () => {
      const n = (await this.kv.get(page)) ?? 0;
      await this.kv.set(page, n + 1);
    });
    run.catch(() => this.seen.set(page, (this.seen.get(page) ?? 1) - 1));
    this.tails.set(
      page,
      run.catch(() => {}),
    );
    return run;
  }
  async count(page: string): Promise<number> {
    return this.seen.get(page) ?? 0;
  }
}
