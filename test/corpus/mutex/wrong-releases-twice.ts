// Source: mafintosh/mutexify#11 (releasing the same lock twice) — the success path unlocks and the
// finally unlocks again, handing the lock to two waiters at once.
export class Mutex {
  private locked = false;
  private readonly waiting: (() => void)[] = [];

  async runExclusive<T>(task: () => Promise<T>): Promise<T> {
    await this.lock();
    try {
      const result = await task();
      this.unlock();
      return result;
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
