// Source: phetsims/axon#72 and #447 (listeners changed during a notification) — subscriptions and
// unsubscriptions made during a delivery wait in a pending list, applied before the next delivery.
export type Listener = (payload: unknown) => void;

interface Entry {
  event: string;
  listener: Listener;
}

export class EventBus {
  private entries: Entry[] = [];
  private pending: { entry: Entry; add: boolean }[] = [];
  private readonly queue: { event: string; payload: unknown }[] = [];
  private delivering = false;

  constructor(private readonly report: (error: unknown) => void) {}

  private change(entry: Entry, add: boolean): void {
    if (this.delivering) this.pending.push({ entry, add });
    else if (add) this.entries.push(entry);
    else this.entries = this.entries.filter((e) => e !== entry);
  }

  private applyPending(): void {
    const changes = this.pending;
    this.pending = [];
    for (const { entry, add } of changes) {
      if (add) this.entries.push(entry);
      else this.entries = this.entries.filter((e) => e !== entry);
    }
  }

  on(event: string, listener: Listener): () => void {
    const entry = { event, listener };
    this.change(entry, true);
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      this.change(entry, false);
    };
  }

  emit(event: string, payload: unknown): void {
    this.queue.push({ event, payload });
    if (this.delivering) return;
    try {
      while (this.queue.length > 0) {
        const next = this.queue.shift()!;
        this.delivering = true;
        try {
          for (const entry of this.entries) {
            if (entry.event !== next.event) continue;
            try {
              entry.listener(next.payload);
            } catch (error) {
              this.report(error);
            }
          }
        } finally {
          this.delivering = false;
          this.applyPending();
        }
      }
    } finally {
      this.delivering = false;
    }
  }
}
