// Evicts a failed load a microtask late (queueMicrotask), but every caller reaches the load through
// an async get that awaits it, so no caller can see the failure before it is evicted.
export class LoadingCache<V> {
  private readonly entries = new Map<string, Promise<V>>();
  constructor(private readonly loader: (key: string) => Promise<V>) {}
  async get(key: string): Promise<V> {
    let entry = this.entries.get(key);
    if (!entry) {
      const load = this.loader(key);
      entry = load;
      this.entries.set(key, load);
      load.catch(() =>
        queueMicrotask(() => {
          if (this.entries.get(key) === load) this.entries.delete(key);
        }),
      );
    }
    return await entry;
  }
}
