// Values and in-flight loads in two maps; a stored value is found with `!== undefined` instead of
// has(): a key whose loader answers undefined is loaded again on every get.
export class LoadingCache<V> {
  private readonly values = new Map<string, V>();
  private readonly inFlight = new Map<string, Promise<V>>();
  constructor(private readonly loader: (key: string) => Promise<V>) {}
  get(key: string): Promise<V> {
    const value = this.values.get(key);
    if (value !== undefined) return Promise.resolve(value);
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const load = this.loader(key);
    this.inFlight.set(key, load);
    load.then(
      (v) => {
        this.values.set(key, v);
        this.inFlight.delete(key);
      },
      () => this.inFlight.delete(key),
    );
    return load;
  }
}
