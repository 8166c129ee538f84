// Re-checks after the load: every concurrent miss has already called the loader by then.
export class LoadingCache<V> {
  private readonly values = new Map<string, V>();
  constructor(private readonly loader: (key: string) => Promise<V>) {}
  async get(key: string): Promise<V> {
    if (!this.values.has(key)) {
      const value = await this.loader(key);
      if (!this.values.has(key)) this.values.set(key, value);
    }
    return this.values.get(key) as V;
  }
}
