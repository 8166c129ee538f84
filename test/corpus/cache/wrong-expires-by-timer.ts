// Evicts a failed load on a timer "so that a storm of retries backs off": a get made from a
// caller's catch handler, before the timer fires, gets the stale failure. Timers run on the
// checker's clock, so the schedule where the retry comes first is found.
export class LoadingCache<V> {
  private readonly entries = new Map<string, Promise<V>>();
  constructor(private readonly loader: (key: string) => Promise<V>) {}

  get(key: string): Promise<V> {
    const cached = this.entries.get(key);
    if (cached) return cached;
    const load = this.loader(key);
    this.entries.set(key, load);
    load.catch(() => {
      setTimeout(() => {
        if (this.entries.get(key) === load) this.entries.delete(key);
      }, 100);
    });
    return load;
  }
}
