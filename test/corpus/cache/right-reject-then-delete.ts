// Waiter lists; on failure every waiter is rejected and only then is the entry deleted: both in one
// synchronous callback, so the deletion still comes before any waiter's handler runs.
interface Waiter<V> {
  resolve(value: V): void;
  reject(error: unknown): void;
}
export class LoadingCache<V> {
  private readonly values = new Map<string, V>();
  private readonly loading = new Map<string, Waiter<V>[]>();
  constructor(private readonly loader: (key: string) => Promise<V>) {}
  get(key: string): Promise<V> {
    if (this.values.has(key)) return Promise.resolve(this.values.get(key) as V);
    return new Promise<V>((resolve, reject) => {
      const waiting = this.loading.get(key);
      if (waiting) {
        waiting.push({ resolve, reject });
        return;
      }
      const waiters: Waiter<V>[] = [{ resolve, reject }];
      this.loading.set(key, waiters);
      this.loader(key).then(
        (value) => {
          for (const w of waiters) w.resolve(value);
          this.values.set(key, value);
          this.loading.delete(key);
        },
        (error: unknown) => {
          for (const w of waiters) w.reject(error);
          this.loading.delete(key);
        },
      );
    });
  }
}
