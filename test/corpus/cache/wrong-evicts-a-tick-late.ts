// Evicts a failed load, but a microtask after the failure: a retry from a catch handler gets it again.
export class LoadingCache<V> {
  private readonly entries = new Map<string, Promise<V>>();
  constructor(private readonly loader: (key: string) => Promise<V>) {}
  get(key: string): Promise<V> {
    const cached = this.entries.get(key);
    if (cached) return cached;
    const load = this.loader(key);
    this.entries.set(key, load);
    load.catch(() => queueMicrotask(() => this.entries.delete(key)));
    return load;
  }
}
