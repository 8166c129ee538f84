// A lock per key with a re-check: no stampede, but after a failure each waiter loads again itself.
export class LoadingCache<V> {
  private readonly values = new Map<string, V>();
  private readonly tails = new Map<string, Promise<unknown>>();
  constructor(private readonly loader: (key: string) => Promise<V>) {}
  get(key: string): Promise<V> {
    const run = (this.tails.get(key) ?? Promise.resolve()).then(async () => {
      if (!this.values.has(key)) this.values.set(key, await this.loader(key));
      return this.values.get(key) as V;
    });
    this.tails.set(
      key,
      run.catch(() => {}),
    );
    return run;
  }
}
