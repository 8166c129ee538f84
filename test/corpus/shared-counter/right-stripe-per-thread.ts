// Page views, counted by several worker threads at once (the shared-counter exercise).
// Right: one slot per thread (worker 0 to 7 in slots 1 to 8), as LongAdder stripes a hot counter over
// cells. No other thread writes a slot, so a plain `++` loses nothing; total runs once all have finished.
export function increment(counts: Int32Array, worker: number): void {
  counts[1 + worker]++;
}

export function total(counts: Int32Array): number {
  let sum = 0;
  for (let w = 1; w <= 8; w++) sum += counts[w];
  return sum;
}
