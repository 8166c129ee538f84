// Page views, counted by several worker threads at once.
//
// `counts` is an Int32Array over a SharedArrayBuffer: every thread sees the same 16 slots, all 0 at
// the start. Each thread calls `increment(counts, worker)` once per view it serves (`worker` is the
// thread's number, 0 to 7). When every thread has finished, `total(counts)` says how many views
// there were.

/** One more view. Runs on thread number `worker`, at the same time as the other threads. */
export function increment(counts: Int32Array, worker: number): void {
  counts[0]++;
}

/** How many views were counted. Runs once every thread has finished. */
export function total(counts: Int32Array): number {
  return counts[0];
}
