// Page views, counted by several worker threads at once (the shared-counter exercise).
// Wrong: the retry loop keeps the value it read before the loop, so after one lost race every retry
// fails again and the thread spins forever. (A CAS loop must re-read on every turn: eugenp/tutorials#13281.)
export function increment(counts: Int32Array, _worker: number): void {
  const seen = Atomics.load(counts, 0);
  while (Atomics.compareExchange(counts, 0, seen, seen + 1) !== seen) {
    // try again
  }
}

export function total(counts: Int32Array): number {
  return Atomics.load(counts, 0);
}
