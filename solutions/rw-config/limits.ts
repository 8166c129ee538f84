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

/**
 * Many readers at once, or one writer, in arrival order: a reader that arrives while a writer
 * waits queues behind it, so a stream of readers cannot starve the writer. Consecutive readers at
 * the head of the queue enter together.
 */
class ReadWriteLock {
  private readers = 0;
  private writing = false;
  private readonly queue: { writer: boolean; enter: () => void }[] = [];

  async read<T>(work: () => Promise<T>): Promise<T> {
    if (this.writing || this.queue.length > 0) await this.wait(false);
    else this.readers++;
    try {
      return await work();
    } finally {
      this.readers--;
      this.admit();
    }
  }

  async write<T>(work: () => Promise<T>): Promise<T> {
    if (this.writing || this.readers > 0 || this.queue.length > 0) await this.wait(true);
    else this.writing = true;
    try {
      return await work();
    } finally {
      this.writing = false;
      this.admit();
    }
  }

  /** Queue up; whoever admits us has already counted us in (direct hand-off: no barging). */
  private wait(writer: boolean): Promise<void> {
    return new Promise((enter) => this.queue.push({ writer, enter }));
  }

  private admit(): void {
    if (this.writing || this.readers > 0) return;
    const head = this.queue[0];
    if (!head) return;
    if (head.writer) {
      this.queue.shift();
      this.writing = true;
      head.enter();
      return;
    }
    while (this.queue[0] && !this.queue[0].writer) {
      this.readers++;
      this.queue.shift()!.enter();
    }
  }
}

export class TenantLimits {
  private readonly lock = new ReadWriteLock();

  constructor(private readonly store: Store) {}

  /** The tenant's current limits: both fields as one update (or the first load) left them. */
  read(tenant: string): Promise<Limits> {
    // Both gets under one read lock: no update can land between them.
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
