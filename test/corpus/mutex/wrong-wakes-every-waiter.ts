// Source: gem5/gem5#3248 (notify_all on unlock) — here every waiter is woken by one shared promise
// and none of them checks the lock again, so all of them run at once.
export class Mutex {
  private locked = false;
  private released: Promise<void> | null = null;
  private wake: () => void = () => {};

  async runExclusive<T>(task: () => Promise<T>): Promise<T> {
    if (this.locked) {
      this.released ??= new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      await this.released;
    }
    this.locked = true;
    try {
      return await task();
    } finally {
      this.locked = false;
      this.released = null;
      this.wake();
    }
  }
}
