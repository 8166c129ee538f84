// Single-flight, but a cached 0, '' or false looks like a miss and is loaded again.
export class LoadingCache<V> {
  private readonly values = new Map<string, V>();
  private readonly inFlight = new Map<string, Promise<V>>();
  constructor(private readonly loader: (key: string) => Promise<V>) {}
  async get(key: string): Promise<V> {
    const value = this.values.get(key);
    if (value) return value;
    let load = this.inFlight.get(key);
    if (!load) {
      load = this.loader(key);
      this.inFlight.set(key, load);
      load.then(
        (v) => {
          this.values.set(key, v);
          this.inFlight.delete(key);
        },
        () => this.inFlight.delete(key),
      );
    }
    return load;
  }
}
