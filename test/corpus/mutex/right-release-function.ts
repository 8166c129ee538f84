// Source: DirtyHairy/async-mutex#27 and mafintosh/mutexify#11 — acquire resolves with a release
// function that works once; the caller releases it in finally, after awaiting the task.
export class Mutex {
  private holder: Promise<void> = Promise.resolve();

  private acquire(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((resolve) => {
      release = resolve;
    });
    const previous = this.holder;
    this.holder = next;
    let released = false;
    return previous.then(() => () => {
      if (released) return;
      released = true;
      release();
    });
  }

  async runExclusive<T>(task: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await task();
    } finally {
      release();
    }
  }
}
