// Page views, counted by several worker threads at once (the shared-counter exercise).
// Wrong: one compare-and-swap, and no retry when another thread got there first: the increment is
// dropped. The retry loop is what AtomicInteger.getAndIncrement does (eugenp/tutorials#13281).
export function increment(counts: Int32Array, _worker: number): void {
  const seen = Atomics.load(counts, 0);
  Atomics.compareExchange(counts, 0, seen, seen + 1);
}

export function total(counts: Int32Array): number {
  return Atomics.load(counts, 0);
}
