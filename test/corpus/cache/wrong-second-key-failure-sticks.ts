// Evicts a failed load only for the first key it ever loaded (a "primary" slot) — the failure of any
// other key is cached for good. Only failing a load of a second key shows it.
export class LoadingCache<V> {
  private readonly entries = new Map<string, Promise<V>>();
  private primary: string | null = null;
  constructor(private readonly loader: (key: string) => Promise<V>) {}

  get(key: string): Promise<V> {
    const cached = this.entries.get(key);
    if (cached) return cached;
    this.primary ??= key;
    const load = this.loader(key);
    this.entries.set(key, load);
    load.catch(() => {
      if (key === this.primary && this.entries.get(key) === load) this.entries.delete(key);
    });
    return load;
  }
}
