// Source: asomers/futures-locks#34 and the rw-locks lesson's table — giving up on the RW lock for
// one mutex: the update gets in, but every read now waits for the read before it.
export interface Store {
  get(key: string): Promise<number>;
  write(entries: Record<string, number>): Promise<void>;
}

export interface Limits {
  rpm: number;
  burst: number;
}

export class TenantLimits {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly store: Store) {}

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.tail.then(work);
    this.tail = run.catch(() => {});
    return run;
  }

  read(tenant: string): Promise<Limits> {
    return this.exclusive(async () => ({
      rpm: await this.store.get(`${tenant}:rpm`),
      burst: await this.store.get(`${tenant}:burst`),
    }));
  }

  update(tenant: string, limits: Limits): Promise<void> {
    return this.exclusive(() =>
      this.store.write({ [`${tenant}:rpm`]: limits.rpm, [`${tenant}:burst`]: limits.burst }),
    );
  }
}
