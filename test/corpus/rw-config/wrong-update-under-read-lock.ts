// Source: configcat/python-sdk#11 (review of a read-write lock) and the CURRICULUM's E5 list — the
// update takes the read lock "because it is quick": readers overlap it and see half of it.
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
  private sleepers: (() => void)[] = [];

  constructor(private readonly store: Store) {}

  private sleep(): Promise<void> {
    return new Promise((resolve) => this.sleepers.push(resolve));
  }

  private wakeAll(): void {
    for (const wake of this.sleepers.splice(0)) wake();
  }

  private async shared<T>(work: () => Promise<T>): Promise<T> {
    while (this.writing) await this.sleep();
    this.readers++;
    try {
      return await work();
    } finally {
      this.readers--;
      this.wakeAll();
    }
  }

  private async exclusive<T>(work: () => Promise<T>): Promise<T> {
    while (this.writing || this.readers > 0) await this.sleep();
    this.writing = true;
    try {
      return await work();
    } finally {
      this.writing = false;
      this.wakeAll();
    }
  }

  read(tenant: string): Promise<Limits> {
    return this.shared(async () => ({
      rpm: await this.store.get(`${tenant}:rpm`),
      burst: await this.store.get(`${tenant}:burst`),
    }));
  }

  /** Only two quick writes: the read lock is enough, and it never waits for the readers. */
  update(tenant: string, limits: Limits): Promise<void> {
    return this.shared(async () => {
      await this.store.write({ [`${tenant}:rpm`]: limits.rpm });
      await this.store.write({ [`${tenant}:burst`]: limits.burst });
    });
  }

  /** Clears a tenant's limits back to the defaults (an admin tool; not used by the gateway). */
  reset(tenant: string): Promise<void> {
    return this.exclusive(() => this.store.write({ [`${tenant}:rpm`]: 60, [`${tenant}:burst`]: 10 }));
  }
}
