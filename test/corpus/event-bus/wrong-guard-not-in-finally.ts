// Source: Karanjot786/TermUI#2888 (re-entrant emits) and Lilly-Protocol/agentlily-runtime#137 — a
// "delivering" guard reset only when the loop ends normally: an error reported and rethrown escapes
// emit and leaves the guard set, so every later emit is queued and never delivered.
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
    for (let next = this.queue.shift(); next; next = this.queue.shift()) {
      for (const listener of this.listeners.get(next.event) ?? []) {
        try {
          listener(next.payload);
        } catch (error) {
          this.report(error);
          throw error;
        }
      }
    }
    this.delivering = false;
  }
}
