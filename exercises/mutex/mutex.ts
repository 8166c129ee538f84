/**
 * The mutex behind a service's session store: every write to the store file runs inside
 * `runExclusive`, so two requests never write it at the same time.
 */
export class Mutex {
  private locked = false;
  /** Callers waiting for the lock, first come first served. */
  private readonly waiting: (() => void)[] = [];

  /**
   * Runs `task` once no other task of this mutex is running, and settles as `task` does: resolves
   * with its value, or rejects with its error. Tasks run one at a time, in the order of the calls.
   */
  async runExclusive<T>(task: () => Promise<T>): Promise<T> {
    await this.lock();
    const result = await task();
    this.unlock();
    return result;
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
    // Hand the lock straight to the next caller: it stays locked, so nobody can barge in between.
    if (next) next();
    else this.locked = false;
  }
}
