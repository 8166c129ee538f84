// A busy flag: a hit that arrives while another is writing is silently dropped.
export interface KV {
  get(key: string): Promise<number | undefined>;
  set(key: string, value: number): Promise<void>;
}

export class ViewCounter {
  private busy = false;
  constructor(private readonly kv: KV) {}
  async hit(page: string): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const n = (await this.kv.get(page)) ?? 0;
      await this.kv.set(page, n + 1);
    } finally {
      this.busy = false;
    }
  }
  async count(page: string): Promise<number> {
    return (await this.kv.get(page)) ?? 0;
  }
}
