// Every waiter awaits the shared load in its own try/catch and evicts it (if it is still the entry)
// before rethrowing: whoever sees the failure first has already removed it.
export class LoadingCache<V> {
  private readonly entries = new Map<string, Promise<V>>();
  constructor(private readonly loader: (key: string) => Promise<V>) {}
  async get(key: string): Promise<V> {
    let entry = this.entries.get(key);
    if (!entry) {
      entry = this.loader(key);
      this.entries.set(key, entry);
    }
    try {
      return await entry;
    } catch (error) {
      if (this.entries.get(key) === entry) this.entries.delete(key);
      throw error;
    }
  }
}
