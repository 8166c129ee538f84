// A busy flag whose waiters all wake on one promise and never re-check it.
export interface KV {
  get(key: string): Promise<number | undefined>;
  set(key: string, value: number): Promise<void>;
}

export class ViewCounter {
  private busy: Promise<void> | null = null;
  constructor(private readonly kv: KV) {}
  async hit(page: string): Promise<void> {
    if (this.busy) await this.busy;
    let done = () => {};
    this.busy = new Promise<void>((resolve) => (done = resolve));
    try {
      const n = (await this.kv.get(page)) ?? 0;
      await this.kv.set(page, n + 1);
    } finally {
      this.busy = null;
      done();
    }
  }
  async count(page: string): Promise<number> {
    return (await this.kv.get(page)) ?? 0;
  }
}
