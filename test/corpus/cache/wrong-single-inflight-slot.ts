// Remembers only the most recent pending load (one slot, not one per key): gets of 'a', 'b', 'a'
// in flight together load 'a' twice.
export class LoadingCache<V> {
  private readonly values = new Map<string, V>();
  private pending: { key: string; load: Promise<V> } | null = null;
  constructor(private readonly loader: (key: string) => Promise<V>) {}
  get(key: string): Promise<V> {
    if (this.values.has(key)) return Promise.resolve(this.values.get(key) as V);
    if (this.pending?.key === key) return this.pending.load;
    const slot = { key, load: this.loader(key) };
    this.pending = slot;
    slot.load.then(
      (value) => {
        this.values.set(key, value);
        if (this.pending === slot) this.pending = null;
      },
      () => {
        if (this.pending === slot) this.pending = null;
      },
    );
    return slot.load;
  }
}
