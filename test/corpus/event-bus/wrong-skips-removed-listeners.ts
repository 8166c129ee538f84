// Source: mnot/thor#95 (iterate a snapshot, but check membership before each call) — the browser's
// rule, not this bus's: a listener unsubscribed during a delivery must still be called in it.
export type Listener = (payload: unknown) => void;

export class EventBus {
  private readonly listeners = new Map<string, Listener[]>();
  private readonly queue: { event: string; payload: unknown }[] = [];
  private delivering = false;

  constructor(private readonly report: (error: unknown) => void) {}

  on(event: string, listener: Listener): () => void {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return () => {
      const list = this.listeners.get(event) ?? [];
      const at = list.indexOf(listener);
      if (at >= 0) this.listeners.set(event, [...list.slice(0, at), ...list.slice(at + 1)]);
    };
  }

  emit(event: string, payload: unknown): void {
    this.queue.push({ event, payload });
    if (this.delivering) return;
    this.delivering = true;
    try {
      for (let next = this.queue.shift(); next; next = this.queue.shift()) {
        const { event: name } = next;
        for (const listener of this.listeners.get(name) ?? []) {
          if (!(this.listeners.get(name) ?? []).includes(listener)) continue;
          try {
            listener(next.payload);
          } catch (error) {
            this.report(error);
          }
        }
      }
    } finally {
      this.delivering = false;
    }
  }
}
