// Source: crewAIInc/crewAI#4541 (a waiting-writers counter that must be decremented in finally) —
// here the writer clears its flag only after a successful write: one failed write blocks every read.
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
  private writerWaiting = false;
  private sleepers: (() => void)[] = [];

  constructor(private readonly store: Store) {}

  private sleep(): Promise<void> {
    return new Promise((resolve) => this.sleepers.push(resolve));
  }

  private wakeAll(): void {
    for (const wake of this.sleepers.splice(0)) wake();
  }

  async read(tenant: string): Promise<Limits> {
    while (this.writing || this.writerWaiting) await this.sleep();
    this.readers++;
    try {
      return {
        rpm: await this.store.get(`${tenant}:rpm`),
        burst: await this.store.get(`${tenant}:burst`),
      };
    } finally {
      this.readers--;
      this.wakeAll();
    }
  }

  async update(tenant: string, limits: Limits): Promise<void> {
    this.writerWaiting = true;
    while (this.writing || this.readers > 0) await this.sleep();
    this.writing = true;
    try {
      await this.store.write({ [`${tenant}:rpm`]: limits.rpm, [`${tenant}:burst`]: limits.burst });
      this.writerWaiting = false;
    } finally {
      this.writing = false;
      this.wakeAll();
    }
  }
}
