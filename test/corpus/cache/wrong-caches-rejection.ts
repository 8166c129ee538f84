// Shares the in-flight promise but never evicts a failure: the key is poisoned for good.
export class LoadingCache<V> {
  private readonly entries = new Map<string, Promise<V>>();
  constructor(private readonly loader: (key: string) => Promise<V>) {}
  get(key: string): Promise<V> {
    let entry = this.entries.get(key);
    if (!entry) {
      entry = this.loader(key);
      this.entries.set(key, entry);
    }
    return entry;
  }
}
