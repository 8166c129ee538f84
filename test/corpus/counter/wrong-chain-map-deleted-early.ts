// Per-page chains, cleaned up when a hit finishes, without checking that the tail is still its own:
// a third hit then starts beside the second.
export interface KV {
  get(key: string): Promise<number | undefined>;
  set(key: string, value: number): Promise<void>;
}

export class ViewCounter {
  private readonly tails = new Map<string, Promise<void>>();
  constructor(private readonly kv: KV) {}
  hit(page: string): Promise<void> {
    const run = (this.tails.get(page) ?? Promise.resolve()).then(async () => {
      const n = (await this.kv.get(page)) ?? 0;
      await this.kv.set(page, n + 1);
    });
    const tail = run.catch(() => {});
    this.tails.set(page, tail);
    void tail.then(() => this.tails.delete(page));
    return run;
  }
  async count(page: string): Promise<number> {
    return (await this.kv.get(page)) ?? 0;
  }
}
