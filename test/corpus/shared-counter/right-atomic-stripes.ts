// Page views, counted by several worker threads at once (the shared-counter exercise).
// Right: striped slots, each updated with Atomics.add, summed with Atomics.load — LongAdder's shape
// with one cell per thread.
export function increment(counts: Int32Array, worker: number): void {
  Atomics.add(counts, 8 + (worker % 8), 1);
}

export function total(counts: Int32Array): number {
  let sum = 0;
  for (let slot = 8; slot < 16; slot++) sum += Atomics.load(counts, slot);
  return sum;
}
