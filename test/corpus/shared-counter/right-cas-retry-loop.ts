// Page views, counted by several worker threads at once (the shared-counter exercise).
// Right: a compare-and-swap retry loop that re-reads on every turn, as AtomicInteger.getAndIncrement
// does underneath (eugenp/tutorials#13281).
export function increment(counts: Int32Array, _worker: number): void {
  for (;;) {
    const seen = Atomics.load(counts, 0);
    if (Atomics.compareExchange(counts, 0, seen, seen + 1) === seen) return;
  }
}

export function total(counts: Int32Array): number {
  return Atomics.load(counts, 0);
}
