// Entries hold a value or the waiters of a pending load; a failure rejects every waiter and clears the entry.
type Entry<V> =
  | { state: 'ready'; value: V }
  | { state: 'loading'; waiters: { resolve(v: V): void; reject(e: unknown): void }[] };

export class LoadingCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  constructor(private readonly loader: (key: string) => Promise<V>) {}
  get(key: string): Promise<V> {
    const entry = this.entries.get(key);
    if (entry?.state === 'ready') return Promise.resolve(entry.value);
    return new Promise<V>((resolve, reject) => {
      if (entry?.state === 'loading') {
        entry.waiters.push({ resolve, reject });
        return;
      }
      const loading: Entry<V> = { state: 'loading', waiters: [{ resolve, reject }] };
      this.entries.set(key, loading);
      this.loader(key).then(
        (value) => {
          this.entries.set(key, { state: 'ready', value });
          for (const waiter of loading.waiters) waiter.resolve(value);
        },
        (error: unknown) => {
          this.entries.delete(key);
          for (const waiter of loading.waiters) waiter.reject(error);
        },
      );
    });
  }
}
