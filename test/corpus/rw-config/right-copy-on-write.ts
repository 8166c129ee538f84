// Source: configcat/python-sdk#11 discussion and the rw-locks lesson (immutable config snapshots) —
// readers use a frozen snapshot; a tenant's updates and first load run one at a time on that
// tenant's chain, and a load in flight is shared, so a read never waits to make its own store calls.
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
  private readonly loading = new Map<string, Promise<Readonly<Limits>>>();
  private readonly chains = new Map<string, Promise<unknown>>();

  constructor(private readonly store: Store) {}

  private serial<T>(tenant: string, work: () => Promise<T>): Promise<T> {
    const run = (this.chains.get(tenant) ?? Promise.resolve()).then(work);
    this.chains.set(
      tenant,
      run.catch(() => {}),
    );
    return run;
  }

  read(tenant: string): Promise<Limits> {
    const known = this.snapshots.get(tenant);
    if (known) return Promise.resolve(known);
    let load = this.loading.get(tenant);
    if (!load) {
      load = this.serial(tenant, async () => {
        const current = this.snapshots.get(tenant);
        if (current) return current;
        const loaded = Object.freeze({
          rpm: await this.store.get(`${tenant}:rpm`),
          burst: await this.store.get(`${tenant}:burst`),
        });
        this.snapshots.set(tenant, loaded);
        return loaded;
      });
      this.loading.set(tenant, load);
      const settled = () => {
        if (this.loading.get(tenant) === load) this.loading.delete(tenant);
      };
      load.then(settled, settled);
    }
    return load;
  }

  update(tenant: string, limits: Limits): Promise<void> {
    return this.serial(tenant, async () => {
      await this.store.write({ [`${tenant}:rpm`]: limits.rpm, [`${tenant}:burst`]: limits.burst });
      // One assignment publishes the new limits: a reader sees the old object or the new one.
      this.snapshots.set(tenant, Object.freeze({ ...limits }));
    });
  }
}
