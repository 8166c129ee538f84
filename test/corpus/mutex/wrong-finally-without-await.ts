// Source: expo/await-lock#1 and rogierschouten/async-lock#13 — `return task()` inside try/finally
// leaves the try at once, so the lock is released while the task is still running.
export class Mutex {
  private locked = false;
  private readonly waiting: (() => void)[] = [];

  async runExclusive<T>(task: () => Promise<T>): Promise<T> {
    await this.lock();
    try {
      return task();
    } finally {
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
