// Source: w3c/web-locks#32 and aermin/web-locks#42 — `task().finally(unlock)` never attaches the
// finally when the task throws before returning a promise: the lock is held forever.
export class Mutex {
  private locked = false;
  private readonly waiting: (() => void)[] = [];

  async runExclusive<T>(task: () => Promise<T>): Promise<T> {
    await this.lock();
    return task().finally(() => this.unlock());
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
