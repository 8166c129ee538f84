// Source: BaseIntelligence/bounty-challenge#13203 (check, then insert after the lock was dropped) —
// copy-on-write, but the first load reads the two keys with no guard and installs what it read even
// when an update has installed a newer snapshot in the meantime.
export interface Store {
  get(key: string): Promise<number>;
  write(entries: Record<string, number>): Promise<void>;
}

export interface Limits {
  rpm: number;
  burst: number;
}

export class TenantLimits {
  private readonly snapshots = new Map<string, Readonly<Limits>>();
  private writes: Promise<unknown> = Promise.resolve();

  constructor(private readonly store: Store) {}

  async read(tenant: string): Promise<Limits> {
    const known = this.snapshots.get(tenant);
    if (known) return known;
    const loaded = Object.freeze({
      rpm: await this.store.get(`${tenant}:rpm`),
      burst: await this.store.get(`${tenant}:burst`),
    });
    this.snapshots.set(tenant, loaded);
    return loaded;
  }

  update(tenant: string, limits: Limits): Promise<void> {
    const run = this.writes.then(async () => {
      await this.store.write({ [`${tenant}:rpm`]: limits.rpm, [`${tenant}:burst`]: limits.burst });
      this.snapshots.set(tenant, Object.freeze({ ...limits }));
    });
    this.writes = run.catch(() => {});
    return run;
  }
}
