// A busy flag, released in finally, and a waiting hit that polls the store until the flag is clear.
// Correct under every fair schedule (the holder always gets to finish), if wasteful: it passes, and
// the verdict notes the polls. (Issue 10 found it judged "loops forever".)
export interface KV {
  get(key: string): Promise<number | undefined>;
  set(key: string, value: number): Promise<void>;
}

export class ViewCounter {
  private busy = false;

  constructor(private readonly kv: KV) {}

  async hit(page: string): Promise<void> {
    while (this.busy) await this.kv.get(page);
    this.busy = true;
    try {
      const current = (await this.kv.get(page)) ?? 0;
      await this.kv.set(page, current + 1);
    } finally {
      this.busy = false;
    }
  }

  async count(page: string): Promise<number> {
    return (await this.kv.get(page)) ?? 0;
  }
}
