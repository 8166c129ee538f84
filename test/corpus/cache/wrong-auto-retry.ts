// Single-flight, and a failed load is retried once inside the cache before anyone hears of it: the
// waiters of a failed load resolve instead of seeing the failure.
export class LoadingCache<V> {
  private readonly entries = new Map<string, Promise<V>>();
  constructor(private readonly loader: (key: string) => Promise<V>) {}
  get(key: string): Promise<V> {
    const cached = this.entries.get(key);
    if (cached) return cached;
    const load = this.loader(key).catch(() => this.loader(key));
    this.entries.set(key, load);
    load.catch(() => {
      if (this.entries.get(key) === load) this.entries.delete(key);
    });
    return load;
  }
}
