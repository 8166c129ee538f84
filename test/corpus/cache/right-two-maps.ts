// Values and in-flight loads in two maps: the in-flight entry goes in .finally() (registered before
// any caller awaits), the value is stored by each waiter as it resumes, before it returns.
export class LoadingCache<V> {
  private readonly values = new Map<string, V>();
  private readonly inFlight = new Map<string, Promise<V>>();
  constructor(private readonly loader: (key: string) => Promise<V>) {}
  async get(key: string): Promise<V> {
    if (this.values.has(key)) return this.values.get(key) as V;
    let load = this.inFlight.get(key);
    if (!load) {
      const mine = this.loader(key);
      load = mine;
      this.inFlight.set(key, mine);
      mine.then(
        (value) => {
          if (this.inFlight.get(key) === mine) this.inFlight.delete(key);
          this.values.set(key, value);
        },
        () => {
          if (this.inFlight.get(key) === mine) this.inFlight.delete(key);
        },
      );
    }
    return await load;
  }
}
