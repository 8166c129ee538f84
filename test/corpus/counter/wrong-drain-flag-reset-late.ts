// A queue drained by one worker; the busy flag is cleared in .finally() of the worker's promise, a
// few microtasks after the loop saw an empty queue: a hit queued in that gap is never served.
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
      if (!this.draining) {
        this.draining = true;
        void this.drain().finally(() => {
          this.draining = false;
        });
      }
    });
  }
  private async drain(): Promise<void> {
    for (let job = this.queue.shift(); job; job = this.queue.shift()) {
      try {
        const n = (await this.kv.get(job.page)) ?? 0;
        await this.kv.set(job.page, n + 1);
        job.resolve();
      } catch (error) {
        job.reject(error);
      }
    }
  }
  async count(page: string): Promise<number> {
    return (await this.kv.get(page)) ?? 0;
  }
}
