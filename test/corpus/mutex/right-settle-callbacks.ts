// Source: aermin/web-locks#42 (release on exception) — the lock is freed in both settle callbacks,
// and the task is started inside then(), so a synchronous throw is a rejection too.
export class Mutex {
  private locked = false;
  private readonly waiting: (() => void)[] = [];

  runExclusive<T>(task: () => Promise<T>): Promise<T> {
    return this.lock()
      .then(() => task())
      .then(
        (value) => {
          this.unlock();
          return value;
        },
        (error: unknown) => {
          this.unlock();
          throw error;
        },
      );
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
