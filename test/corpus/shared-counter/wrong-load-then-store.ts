// Page views, counted by several worker threads at once (the shared-counter exercise).
// Wrong: each call is atomic, the pair is not. The same bug as tokio-rs/tokio#4725 ("Updating an
// atomic variable with a load followed by a store is racy … use fetch_add").
export function increment(counts: Int32Array, _worker: number): void {
  const seen = Atomics.load(counts, 0);
  Atomics.store(counts, 0, seen + 1);
}

export function total(counts: Int32Array): number {
  return Atomics.load(counts, 0);
}
