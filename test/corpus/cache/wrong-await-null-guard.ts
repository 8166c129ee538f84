// The same gap as a plain `await null` between the test and the registration, written to "let the
// event loop breathe": callers that arrive in one turn all miss.
export class LoadingCache<V> {
  private readonly entries = new Map<string, Promise<V>>();
  constructor(private readonly loader: (key: string) => Promise<V>) {}

  async get(key: string): Promise<V> {
    if (!this.entries.has(key)) {
      await null;
      const load = this.loader(key);
      this.entries.set(key, load);
      load.catch(() => this.entries.delete(key));
    }
    return this.entries.get(key)!;
  }
}
