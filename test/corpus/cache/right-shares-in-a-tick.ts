// The same tick, but the load under way is looked for again inside it: gets in one turn share it.
export class LoadingCache<V> {
  private readonly entries = new Map<string, Promise<V>>();
  constructor(private readonly loader: (key: string) => Promise<V>) {}
  get(key: string): Promise<V> {
    return new Promise<V>((resolve, reject) => {
      process.nextTick(() => {
        let load = this.entries.get(key);
        if (!load) {
          const started = this.loader(key);
          load = started;
          this.entries.set(key, started);
          started.catch(() => {
            if (this.entries.get(key) === started) this.entries.delete(key);
          });
        }
        load.then(resolve, reject);
      });
    });
  }
}
