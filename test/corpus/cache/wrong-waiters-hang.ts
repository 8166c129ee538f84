// Waiters are woken when the load succeeds, and forgotten when it fails.
export class LoadingCache<V> {
  private readonly values = new Map<string, V>();
  private readonly waiters = new Map<string, ((value: V) => void)[]>();
  constructor(private readonly loader: (key: string) => Promise<V>) {}
  async get(key: string): Promise<V> {
    if (this.values.has(key)) return this.values.get(key) as V;
    const queue = this.waiters.get(key);
    if (queue) return new Promise<V>((resolve) => queue.push(resolve));
    this.waiters.set(key, []);
    try {
      const value = await this.loader(key);
      this.values.set(key, value);
      for (const wake of this.waiters.get(key) ?? []) wake(value);
      return value;
    } finally {
      this.waiters.delete(key);
    }
  }
}
