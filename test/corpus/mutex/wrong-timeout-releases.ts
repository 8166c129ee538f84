// Source: juspay/neurolink#898 (review of asyncMutex.ts) — a task that outlasts the timeout loses
// the lock while it still runs, so the next waiter enters beside it.
export class Mutex {
  private locked = false;
  private readonly waiting: (() => void)[] = [];

  async runExclusive<T>(task: () => Promise<T>): Promise<T> {
    await this.lock();
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      return await Promise.race([
        task(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('the task held the lock for more than 5 s')), 5000);
        }),
      ]);
    } finally {
      clearTimeout(timer);
      this.unlock();
    }
  }

  private lock(): Promise<void> {
    if (!this.locked) {
      this.locked = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private unlock(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.locked = false;
  }
}
