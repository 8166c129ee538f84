// One map of entries, each either a pending load or a settled value box; a loaded value is served
// as a fresh resolved promise, a failed load is removed in the first reaction to it.
type Entry<V> = { loading: Promise<V> } | { value: V };
export class LoadingCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  constructor(private readonly loader: (key: string) => Promise<V>) {}
  get(key: string): Promise<V> {
    const entry = this.entries.get(key);
    if (entry) return 'value' in entry ? Promise.resolve(entry.value) : entry.loading;
    const loading = this.loader(key);
    const mine: Entry<V> = { loading };
    this.entries.set(key, mine);
    loading.then(
      (value) => {
        if (this.entries.get(key) === mine) this.entries.set(key, { value });
      },
      () => {
        if (this.entries.get(key) === mine) this.entries.delete(key);
      },
    );
    return loading;
  }
}
