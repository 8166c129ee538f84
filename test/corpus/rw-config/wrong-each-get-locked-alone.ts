// Source: getsentry/sentry-native#1877 review and the designing-races-away checklist ("every read
// that depends on the invariant uses the same protection") — each get under its own read lock: an
// update lands between the two, and the read is torn.
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
  private waitingWriters = 0;
  private sleepers: (() => void)[] = [];

  constructor(private readonly store: Store) {}

  private sleep(): Promise<void> {
    return new Promise((resolve) => this.sleepers.push(resolve));
  }

  private wakeAll(): void {
    for (const wake of this.sleepers.splice(0)) wake();
  }

  private async shared<T>(work: () => Promise<T>): Promise<T> {
    while (this.writing || this.waitingWriters > 0) await this.sleep();
    this.readers++;
    try {
      return await work();
    } finally {
      this.readers--;
      this.wakeAll();
    }
  }

  async read(tenant: string): Promise<Limits> {
    const rpm = await this.shared(() => this.store.get(`${tenant}:rpm`));
    const burst = await this.shared(() => this.store.get(`${tenant}:burst`));
    return { rpm, burst };
  }

  async update(tenant: string, limits: Limits): Promise<void> {
    this.waitingWriters++;
    try {
      while (this.writing || this.readers > 0) await this.sleep();
    } finally {
      this.waitingWriters--;
    }
    this.writing = true;
    try {
      await this.store.write({ [`${tenant}:rpm`]: limits.rpm, [`${tenant}:burst`]: limits.burst });
    } finally {
      this.writing = false;
      this.wakeAll();
    }
  }
}
