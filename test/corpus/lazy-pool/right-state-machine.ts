// Source: hazelcast/hazelcast#1747 and sidequestjs/sidequest#47 — one field holds the whole state
// (idle, opening with its waiters, open, closed), changed only in synchronous steps.
export interface Pool {
  query(sql: string): Promise<unknown[]>;
  end(): Promise<void>;
}

type State =
  | { kind: 'idle' }
  | { kind: 'opening'; waiters: { resolve: (pool: Pool) => void; reject: (error: unknown) => void }[] }
  | { kind: 'open'; pool: Pool }
  | { kind: 'closed'; ended: Promise<void> };

export class Database {
  private state: State = { kind: 'idle' };

  constructor(private readonly connect: () => Promise<Pool>) {}

  async query(sql: string): Promise<unknown[]> {
    const pool = await this.pool();
    if (this.state.kind === 'closed') throw new Error('the database is closed');
    return pool.query(sql);
  }

  close(): Promise<void> {
    const state = this.state;
    if (state.kind === 'closed') return state.ended;
    let ended: Promise<void> = Promise.resolve();
    if (state.kind === 'open') ended = state.pool.end();
    if (state.kind === 'opening') {
      ended = new Promise<Pool>((resolve, reject) => state.waiters.push({ resolve, reject })).then(
        (pool) => pool.end(),
        () => undefined,
      );
    }
    this.state = { kind: 'closed', ended };
    return ended;
  }

  private pool(): Promise<Pool> {
    const state = this.state;
    if (state.kind === 'closed') return Promise.reject(new Error('the database is closed'));
    if (state.kind === 'open') return Promise.resolve(state.pool);
    return new Promise<Pool>((resolve, reject) => {
      if (state.kind === 'opening') {
        state.waiters.push({ resolve, reject });
        return;
      }
      const opening: State = { kind: 'opening', waiters: [{ resolve, reject }] };
      this.state = opening;
      this.connect().then(
        (pool) => {
          if (this.state === opening) this.state = { kind: 'open', pool };
          for (const waiter of opening.waiters) waiter.resolve(pool);
        },
        (error: unknown) => {
          if (this.state === opening) this.state = { kind: 'idle' };
          for (const waiter of opening.waiters) waiter.reject(error);
        },
      );
    });
  }
}
