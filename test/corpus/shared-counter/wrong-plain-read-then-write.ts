// Page views, counted by several worker threads at once (the shared-counter exercise).
// Wrong: `counts[0] = counts[0] + 1` is a read and a write another thread can come between — the
// lost updates of increments on shared primitive fields that apache/camel#3712 replaced with AtomicLong.
export function increment(counts: Int32Array, _worker: number): void {
  const next = counts[0] + 1;
  counts[0] = next;
}

export function total(counts: Int32Array): number {
  return counts[0];
}
