// A loading flag: a get that arrives during the load answers undefined instead of waiting.
export class LoadingCache<V> {
  private readonly values = new Map<string, V>();
  private readonly loading = new Set<string>();
  constructor(private readonly loader: (key: string) => Promise<V>) {}
  async get(key: string): Promise<V> {
    if (this.loading.has(key)) return this.values.get(key) as V;
    if (!this.values.has(key)) {
      this.loading.add(key);
      try {
        this.values.set(key, await this.loader(key));
      } finally {
        this.loading.delete(key);
      }
    }
    return this.values.get(key) as V;
  }
}
