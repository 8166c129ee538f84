// Source: kefirjs/kefir#120 ("Don't do nested emits, use queue") — snapshots and caught errors, but
// an emit from a listener is delivered at once, in the middle of the delivery that called it.
export type Listener = (payload: unknown) => void;

export class EventBus {
  private readonly listeners = new Map<string, Listener[]>();

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
    for (const listener of this.listeners.get(event) ?? []) {
      try {
        listener(payload);
      } catch (error) {
        this.report(error);
      }
    }
  }
}
