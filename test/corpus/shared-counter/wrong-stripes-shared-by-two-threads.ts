// Page views, counted by several worker threads at once (the shared-counter exercise).
// Wrong: striping like LongAdder, but two stripes for up to eight threads — workers 0 and 2 share a
// slot, and a plain `++` on a shared slot loses updates again (LongAdder hashes threads over cells and
// still updates each cell with a CAS).
export function increment(counts: Int32Array, worker: number): void {
  counts[1 + (worker % 2)]++;
}

export function total(counts: Int32Array): number {
  return counts[1] + counts[2];
}
