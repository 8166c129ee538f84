// Page views, counted by several worker threads at once (the shared-counter exercise).
// Wrong: load, then exchange — two atomic calls, not one read-modify-write. The try_lock of
// Inori/GPCS4#87 made the same mistake ("the combination of them is not" atomic).
export function increment(counts: Int32Array, _worker: number): void {
  Atomics.exchange(counts, 0, Atomics.load(counts, 0) + 1);
}

export function total(counts: Int32Array): number {
  return Atomics.load(counts, 0);
}
