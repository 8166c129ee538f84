// Source: tzcnt/TooManyCooks#256 (a writer's release wakes all waiting readers as one batch) — this
// queue admits one waiter per release, so a reader waits for the reader in front of it.
export interface Store {
  get(key: string): Promise<number>;
  write(entries: Record<string, number>): Promise<void>;
}

export interface Limits {
  rpm: number;
  burst: number;
}

export class TenantLimits {
  private readers = 0;
  private writing = false;
  private readonly queue: { writer: boolean; enter: () => void }[] = [];

  constructor(private readonly store: Store) {}

  private async lock(writer: boolean): Promise<void> {
    const free = writer ? !this.writing && this.readers === 0 : !this.writing;
    if (free && this.queue.length === 0) {
      if (writer) this.writing = true;
      else this.readers++;
      return;
    }
    await new Promise<void>((enter) => this.queue.push({ writer, enter }));
  }

  private unlock(writer: boolean): void {
    if (writer) this.writing = false;
    else this.readers--;
    if (this.writing || this.readers > 0) return;
    const next = this.queue.shift();
    if (!next) return;
    if (next.writer) this.writing = true;
    else this.readers++;
    next.enter();
  }

  async read(tenant: string): Promise<Limits> {
    await this.lock(false);
    try {
      return {
        rpm: await this.store.get(`${tenant}:rpm`),
        burst: await this.store.get(`${tenant}:burst`),
      };
    } finally {
      this.unlock(false);
    }
  }

  async update(tenant: string, limits: Limits): Promise<void> {
    await this.lock(true);
    try {
      await this.store.write({ [`${tenant}:rpm`]: limits.rpm, [`${tenant}:burst`]: limits.burst });
    } finally {
      this.unlock(true);
    }
  }
}
