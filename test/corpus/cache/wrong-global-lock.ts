// One lock around every load, re-checking after it: no stampede, but a slow key blocks all others.
export class LoadingCache<V> {
  private readonly values = new Map<string, V>();
  private tail: Promise<unknown> = Promise.resolve();
  constructor(private readonly loader: (key: string) => Promise<V>) {}
  get(key: string): Promise<V> {
    const run = this.tail.then(async () => {
      if (!this.values.has(key)) this.values.set(key, await this.loader(key));
      return this.values.get(key) as V;
    });
    this.tail = run.catch(() => {});
    return run;
  }
}
