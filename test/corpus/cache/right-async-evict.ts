// Single-flight through an async wrapper that evicts in its own catch, before the shared promise rejects.
export class LoadingCache<V> {
  private readonly entries = new Map<string, Promise<V>>();
  constructor(private readonly loader: (key: string) => Promise<V>) {}
  get(key: string): Promise<V> {
    let entry = this.entries.get(key);
    if (!entry) {
      entry = (async () => {
        try {
          return await this.loader(key);
        } catch (error) {
          this.entries.delete(key);
          throw error;
        }
      })();
      this.entries.set(key, entry);
    }
    return entry;
  }
}
