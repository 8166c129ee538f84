// The in-flight entry is removed by a .finally() on the load, and the value stored by a .then() on
// that derived promise: a few microtasks in which the key is neither loading nor loaded.
export class LoadingCache<V> {
  private readonly values = new Map<string, V>();
  private readonly inFlight = new Map<string, Promise<V>>();
  constructor(private readonly loader: (key: string) => Promise<V>) {}
  get(key: string): Promise<V> {
    if (this.values.has(key)) return Promise.resolve(this.values.get(key) as V);
    let load = this.inFlight.get(key);
    if (!load) {
      load = this.loader(key).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, load);
      load.then(
        (value) => this.values.set(key, value),
        () => {},
      );
    }
    return load;
  }
}
