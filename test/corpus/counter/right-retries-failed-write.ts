// One chain per page, and a hit whose write fails tries the same write again after a backoff with
// jitter (the failed set wrote nothing): it resolves only once its view is stored. Timers run on the
// checker's virtual clock.
export interface KV {
  get(key: string): Promise<number | undefined>;
  set(key: string, value: number): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class ViewCounter {
  private readonly tails = new Map<string, Promise<void>>();

  constructor(private readonly kv: KV) {}

  hit(page: string): Promise<void> {
    const run = (this.tails.get(page) ?? Promise.resolve()).then(() => this.increment(page));
    this.tails.set(
      page,
      run.catch(() => {}),
    );
    return run;
  }

  async count(page: string): Promise<number> {
    return (await this.kv.get(page)) ?? 0;
  }

  private async increment(page: string): Promise<void> {
    const next = ((await this.kv.get(page)) ?? 0) + 1;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.kv.set(page, next);
      } catch (error) {
        if (attempt === 3) throw error;
        await sleep(10 * 2 ** attempt + Math.random() * 10);
      }
    }
  }
}
