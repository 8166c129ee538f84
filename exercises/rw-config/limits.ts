/**
 * Per-tenant rate limits of an API gateway. Every request reads its tenant's limits; an admin
 * changes them a few times a day. They live in a key-value store (`<tenant>:rpm` and
 * `<tenant>:burst`), which reads one key at a time and writes several keys at once, all or nothing.
 */
export interface Store {
  get(key: string): Promise<number>;
  /** Writes every entry, or none when it fails. */
  write(entries: Record<string, number>): Promise<void>;
}

export interface Limits {
  /** Requests a minute. */
  rpm: number;
  /** Requests allowed in one burst. */
  burst: number;
}

/** Many readers at once, or one writer. */
class ReadWriteLock {
  private readers = 0;
  private writing = false;
  private sleepers: (() => void)[] = [];

  async read<T>(work: () => Promise<T>): Promise<T> {
    while (this.writing) await this.sleep();
    this.readers++;
    try {
      return await work();
    } finally {
      this.readers--;
      this.wakeAll();
    }
  }

  async write<T>(work: () => Promise<T>): Promise<T> {
    while (this.writing || this.readers > 0) await this.sleep();
    this.writing = true;
    try {
      return await work();
    } finally {
      this.writing = false;
      this.wakeAll();
    }
  }

  private sleep(): Promise<void> {
    return new Promise((resolve) => this.sleepers.push(resolve));
  }

  private wakeAll(): void {
    for (const wake of this.sleepers.splice(0)) wake();
  }
}

export class TenantLimits {
  private readonly lock = new ReadWriteLock();

  constructor(private readonly store: Store) {}

  /** The tenant's current limits: both fields as one update (or the first load) left them. */
  read(tenant: string): Promise<Limits> {
    return this.lock.read(async () => ({
      rpm: await this.store.get(`${tenant}:rpm`),
      burst: await this.store.get(`${tenant}:burst`),
    }));
  }

  /** Replaces the tenant's limits. */
  update(tenant: string, limits: Limits): Promise<void> {
    return this.lock.write(() =>
      this.store.write({ [`${tenant}:rpm`]: limits.rpm, [`${tenant}:burst`]: limits.burst }),
    );
  }
}
