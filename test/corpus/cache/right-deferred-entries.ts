// The entry is a promise of our own, settled after the loader: eviction comes first, then the waiters hear.
export class LoadingCache<V> {
  private readonly entries = new Map<string, Promise<V>>();
  constructor(private readonly loader: (key: string) => Promise<V>) {}
  get(key: string): Promise<V> {
    const hit = this.entries.get(key);
    if (hit) return hit;
    const entry = new Promise<V>((resolve, reject) => {
      this.loader(key).then(resolve, (error: unknown) => {
        this.entries.delete(key);
        reject(error);
      });
    });
    this.entries.set(key, entry);
    return entry;
  }
}
