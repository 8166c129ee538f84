// Source: rogierschouten/async-lock#13 (return the lock's own promise) — each task is chained on
// the previous one; the chain swallows a failure so that one rejected task does not reject the rest.
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();

  runExclusive<T>(task: () => Promise<T>): Promise<T> {
    // A task that throws synchronously inside then() becomes a rejection of `run`, not a leak.
    const run = this.tail.then(() => task());
    this.tail = run.catch(() => {});
    return run;
  }
}
