// Source: phetsims/axon#447 (policies for reentrant notification: forbid, or queue) — this bus
// forbids re-entry: the nested emit throws, the listener's catch-all reports it, and the event is lost.
export type Listener = (payload: unknown) => void;

export class EventBus {
  private readonly listeners = new Map<string, Listener[]>();
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
    if (this.delivering) throw new Error(`emit('${event}') while another event is being delivered`);
    this.delivering = true;
    try {
      for (const listener of this.listeners.get(event) ?? []) {
        try {
          listener(payload);
        } catch (error) {
          this.report(error);
        }
      }
    } finally {
      this.delivering = false;
    }
  }
}
