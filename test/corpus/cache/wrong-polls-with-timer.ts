// Waiters poll every 5 ms until the first load is done: a real timer the program depends on.
export class LoadingCache<V> {
  private readonly values = new Map<string, V>();
  private readonly loading = new Set<string>();
  constructor(private readonly loader: (key: string) => Promise<V>) {}
  async get(key: string): Promise<V> {
    while (this.loading.has(key)) await new Promise((resolve) => setTimeout(resolve, 5));
    if (this.values.has(key)) return this.values.get(key) as V;
    this.loading.add(key);
    try {
      const value = await this.loader(key);
      this.values.set(key, value);
      return value;
    } finally {
      this.loading.delete(key);
    }
  }
}
