/**
 * A read-through cache in front of a slow service: the first `get` of a key loads it, and later
 * ones are answered from memory.
 */
export class LoadingCache<V> {
  /** A key's value, or its load while in flight: every concurrent miss shares the one promise. */
  private readonly entries = new Map<string, Promise<V>>();

  /** `loader` fetches a key's value from the slow service; it is async and never throws synchronously. */
  constructor(private readonly loader: (key: string) => Promise<V>) {}

  get(key: string): Promise<V> {
    const cached = this.entries.get(key);
    if (cached) return cached;
    const load = this.loader(key);
    // Stored before anything awaits, so the next caller finds it.
    this.entries.set(key, load);
    // Evicted as the load fails, before any caller's own handler runs, so a retry from a catch
    // handler loads again; the identity check keeps a newer entry for the key.
    load.catch(() => {
      if (this.entries.get(key) === load) this.entries.delete(key);
    });
    return load;
  }
}
