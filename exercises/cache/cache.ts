/**
 * A read-through cache in front of a slow service: the first `get` of a key loads it, and later
 * ones are answered from memory.
 */
export class LoadingCache<V> {
  private readonly values = new Map<string, V>();

  /** `loader` fetches a key's value from the slow service; it is async and never throws synchronously. */
  constructor(private readonly loader: (key: string) => Promise<V>) {}

  async get(key: string): Promise<V> {
    if (!this.values.has(key)) {
      this.values.set(key, await this.loader(key));
    }
    return this.values.get(key) as V;
  }
}
