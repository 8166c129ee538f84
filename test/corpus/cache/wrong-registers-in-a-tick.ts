// dataloader-style: a get waits one process.nextTick "to batch", and only then looks for a load
// under way and registers its own. Two gets in one synchronous turn both find none.
export class LoadingCache<V> {
  private readonly entries = new Map<string, Promise<V>>();
  constructor(private readonly loader: (key: string) => Promise<V>) {}
  get(key: string): Promise<V> {
    return new Promise<V>((resolve, reject) => {
      const known = this.entries.get(key);
      if (known) return known.then(resolve, reject);
      process.nextTick(() => {
        const load = this.loader(key);
        this.entries.set(key, load);
        load.catch(() => this.entries.delete(key));
        load.then(resolve, reject);
      });
    });
  }
}
