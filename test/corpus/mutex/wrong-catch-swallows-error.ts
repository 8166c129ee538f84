// Source: yiisoft/mutex#34 (handling an exception while the mutex is held) — a catch that frees the
// lock but swallows the error: the caller sees success (undefined) for a task that failed.
export class Mutex {
  private locked = false;
  private readonly waiting: (() => void)[] = [];

  async runExclusive<T>(task: () => Promise<T>): Promise<T> {
    await this.lock();
    try {
      const result = await task();
      this.unlock();
      return result;
    } catch (error) {
      console.error('task failed', error);
      this.unlock();
      return undefined as T;
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
