// Write coalescing per page: hits that arrive while a write is in flight join the next batch; one
// read and one write add the whole batch, and every hit of the batch settles with that write.
export interface KV {
  get(key: string): Promise<number | undefined>;
  set(key: string, value: number): Promise<void>;
}

interface Waiter {
  resolve(): void;
  reject(error: unknown): void;
}
export class ViewCounter {
  private readonly pending = new Map<string, Waiter[]>();
  private readonly busy = new Set<string>();
  constructor(private readonly kv: KV) {}
  hit(page: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const batch = this.pending.get(page) ?? [];
      batch.push({ resolve, reject });
      this.pending.set(page, batch);
      if (!this.busy.has(page)) void this.flush(page);
    });
  }
  private async flush(page: string): Promise<void> {
    this.busy.add(page);
    for (let batch = this.take(page); batch.length > 0; batch = this.take(page)) {
      try {
        const n = (await this.kv.get(page)) ?? 0;
        await this.kv.set(page, n + batch.length);
        for (const w of batch) w.resolve();
      } catch (error) {
        for (const w of batch) w.reject(error);
      }
    }
    this.busy.delete(page);
  }
  private take(page: string): Waiter[] {
    const batch = this.pending.get(page) ?? [];
    this.pending.delete(page);
    return batch;
  }
  async count(page: string): Promise<number> {
    return (await this.kv.get(page)) ?? 0;
  }
}
