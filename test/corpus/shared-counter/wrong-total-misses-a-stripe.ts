// Page views, counted by several worker threads at once (the shared-counter exercise).
// Wrong: one slot per thread, but `total` adds up only the first two — the third thread's views
// vanish. (LongAdder.sum walks every cell; a sum over a fixed few does not.)
export function increment(counts: Int32Array, worker: number): void {
  Atomics.add(counts, 1 + worker, 1);
}

export function total(counts: Int32Array): number {
  return Atomics.load(counts, 1) + Atomics.load(counts, 2);
}
