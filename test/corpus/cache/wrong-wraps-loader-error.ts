// Single-flight and evicts a failed load first, but each waiter gets a new Error that wraps the
// loader's error as its `cause` (with the key in the message).
export class LoadingCache<V> {
  private readonly entries = new Map<string, Promise<V>>();
  constructor(private readonly loader: (key: string) => Promise<V>) {}
  get(key: string): Promise<V> {
    let entry = this.entries.get(key);
    if (!entry) {
      const load = this.loader(key);
      entry = load.catch((error: unknown) => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
        throw new Error(`loading '${key}' failed`, { cause: error });
      });
      this.entries.set(key, entry);
    }
    return entry;
  }
}
