// Page views, counted by several worker threads at once.
//
// `counts` is an Int32Array over a SharedArrayBuffer: every thread sees the same 16 slots, all 0 at
// the start. Each thread calls `increment(counts, worker)` once per view it serves (`worker` is the
// thread's number, 0 to 7). When every thread has finished, `total(counts)` says how many views
// there were.

/**
 * One more view. `Atomics.add` reads, adds and writes as one indivisible step: no other thread can
 * come between the read and the write, so no increment is lost.
 */
export function increment(counts: Int32Array, worker: number): void {
  Atomics.add(counts, 0, 1);
}

/** How many views were counted. Runs once every thread has finished. */
export function total(counts: Int32Array): number {
  return Atomics.load(counts, 0);
}
