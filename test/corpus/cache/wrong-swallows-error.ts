// Waiters queue behind the first miss, but when its load fails they resolve with undefined.
export class LoadingCache<V> {
  private readonly values = new Map<string, V>();
  private readonly waiters = new Map<string, ((value: V | undefined) => void)[]>();
  constructor(private readonly loader: (key: string) => Promise<V>) {}
  async get(key: string): Promise<V> {
    if (this.values.has(key)) return this.values.get(key) as V;
    const queue = this.waiters.get(key);
    if (queue) return (await new Promise<V | undefined>((resolve) => queue.push(resolve))) as V;
    this.waiters.set(key, []);
    try {
      const value = await this.loader(key);
      this.values.set(key, value);
      for (const wake of this.waiters.get(key) ?? []) wake(value);
      return value;
    } catch (error) {
      for (const wake of this.waiters.get(key) ?? []) wake(undefined);
      throw error;
    } finally {
      this.waiters.delete(key);
    }
  }
}
