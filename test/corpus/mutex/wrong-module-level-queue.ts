// Source: DirtyHairy/async-mutex#44 (which instance the mutex state belongs to) — the queue lives
// at module level, so every Mutex shares one lock and a task of one waits for a task of another.
let tail: Promise<unknown> = Promise.resolve();

export class Mutex {
  runExclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = tail.then(() => task());
    tail = run.catch(() => {});
    return run;
  }
}
