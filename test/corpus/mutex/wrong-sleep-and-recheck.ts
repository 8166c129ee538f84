// Source: gem5/gem5#3248 (barging in UncontendedMutex) and typelevel/cats-effect#3564 (FIFO
// corrupted) — waiters that sleep and re-check a flag are exclusive, but a newcomer overtakes them.
export class Mutex {
  private locked = false;

  async runExclusive<T>(task: () => Promise<T>): Promise<T> {
    while (this.locked) await new Promise((resolve) => setTimeout(resolve, 1));
    this.locked = true;
    try {
      return await task();
    } finally {
      this.locked = false;
    }
  }
}
