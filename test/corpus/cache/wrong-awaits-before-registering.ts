// Checks the in-flight map, then awaits a helper that touches no port (a config check), and only
// then registers its load: two gets started in one synchronous turn (Promise.all) both miss.
// Seen in issue 10 as the input that passed "all 153 schedules".
export class LoadingCache<V> {
  private readonly entries = new Map<string, Promise<V>>();
  constructor(private readonly loader: (key: string) => Promise<V>) {}

  private async ready(): Promise<void> {}

  async get(key: string): Promise<V> {
    const cached = this.entries.get(key);
    if (cached) return cached;
    await this.ready();
    const load = this.loader(key);
    this.entries.set(key, load);
    load.catch(() => {
      if (this.entries.get(key) === load) this.entries.delete(key);
    });
    return load;
  }
}
