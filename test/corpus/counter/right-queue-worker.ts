// A queue drained by one worker; the flag is cleared in the same synchronous step in which the loop
// finds the queue empty, so no hit can be queued unseen.
export interface KV {
  get(key: string): Promise<number | undefined>;
  set(key: string, value: number): Promise<void>;
}

interface Job {
  page: string;
  resolve(): void;
  reject(error: unknown): void;
}
export class ViewCounter {
  private readonly queue: Job[] = [];
  private draining = false;
  constructor(private readonly kv: KV) {}
  hit(page: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ page, resolve, reject });
      if (!this.draining) void this.drain();
    });
  }
  private async drain(): Promise<void> {
    this.draining = true;
    for (let job = this.queue.shift(); job; job = this.queue.shift()) {
      try {
        const n = (await this.kv.get(job.page)) ?? 0;
        await this.kv.set(job.page, n + 1);
        job.resolve();
      } catch (error) {
        job.reject(error);
      }
    }
    this.draining = false;
  }
  async count(page: string): Promise<number> {
    return (await this.kv.get(page)) ?? 0;
  }
}
