// Page views, counted by several worker threads at once (the shared-counter exercise).
// Wrong: each thread counts in a variable of its own and adds to the shared slot every second view,
// so a thread that served an odd number of views never publishes its last one — the metrics lost on
// shutdown when a batch is never flushed.
let pending = 0;

export function increment(counts: Int32Array, _worker: number): void {
  pending++;
  if (pending === 2) {
    Atomics.add(counts, 0, pending);
    pending = 0;
  }
}

export function total(counts: Int32Array): number {
  return Atomics.load(counts, 0);
}
