// Source: Morglod/tseep#28 — the loop caches the length and indexes the live array: a removal
// shifts the rest, so a listener is skipped (and the optional call hides the hole at the end).
export type Listener = (payload: unknown) => void;

export class EventBus {
  private readonly listeners = new Map<string, Listener[]>();
  private readonly queue: { event: string; payload: unknown }[] = [];
  private delivering = false;

  constructor(private readonly report: (error: unknown) => void) {}

  on(event: string, listener: Listener): () => void {
    const list = this.listeners.get(event) ?? [];
    this.listeners.set(event, list);
    list.push(listener);
    return () => {
      const at = list.indexOf(listener);
      if (at >= 0) list.splice(at, 1);
    };
  }

  emit(event: string, payload: unknown): void {
    this.queue.push({ event, payload });
    if (this.delivering) return;
    this.delivering = true;
    try {
      for (let next = this.queue.shift(); next; next = this.queue.shift()) {
        const list = this.listeners.get(next.event) ?? [];
        for (let i = 0, n = list.length; i < n; i++) {
          try {
            list[i]?.(next.payload);
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
