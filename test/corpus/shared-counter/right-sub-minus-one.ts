// Page views, counted by several worker threads at once (the shared-counter exercise).
// Right, if odd: Atomics.sub of -1 is one indivisible read-modify-write too.
export function increment(counts: Int32Array, _worker: number): void {
  Atomics.sub(counts, 0, -1);
}

export function total(counts: Int32Array): number {
  return Atomics.load(counts, 0);
}
