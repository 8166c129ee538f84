// Source: medikoo/event-emitter#2 and browserify/events#26 — one try around the whole delivery:
// the error is reported, but the listeners after the one that threw are never called.
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
        try {
          for (const listener of this.listeners.get(next.event) ?? []) listener(next.payload);
        } catch (error) {
          this.report(error);
        }
      }
    } finally {
      this.delivering = false;
    }
  }
}
