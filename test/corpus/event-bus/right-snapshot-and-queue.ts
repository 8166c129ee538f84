// Source: mnot/thor#95 (iterate a snapshot), kefirjs/kefir#120 (queue nested emits) and
// software-mansion/argent#132 (catch each listener's error) — a copy of the listeners at the start
// of each delivery, a queue drained in a try/finally, and one try per listener.
export type Listener = (payload: unknown) => void;

export class EventBus {
  private readonly listeners = new Map<string, { listener: Listener }[]>();
  private readonly queue: { event: string; payload: unknown }[] = [];
  private delivering = false;

  constructor(private readonly report: (error: unknown) => void) {}

  on(event: string, listener: Listener): () => void {
    const entry = { listener };
    const list = this.listeners.get(event) ?? [];
    this.listeners.set(event, list);
    list.push(entry);
    return () => {
      const at = list.indexOf(entry);
      if (at >= 0) list.splice(at, 1);
    };
  }

  emit(event: string, payload: unknown): void {
    this.queue.push({ event, payload });
    if (this.delivering) return;
    this.delivering = true;
    try {
      while (this.queue.length > 0) {
        const { event: name, payload: value } = this.queue.shift()!;
        const snapshot = [...(this.listeners.get(name) ?? [])];
        for (const { listener } of snapshot) {
          try {
            listener(value);
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
