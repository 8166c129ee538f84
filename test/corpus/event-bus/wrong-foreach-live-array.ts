// Source: software-mansion/argent#870 and angular/angular.js#13401 — forEach over the live array:
// a listener that unsubscribes itself shifts the array, and the one after it is skipped.
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
        const { payload: value } = next;
        (this.listeners.get(next.event) ?? []).forEach((listener) => {
          try {
            listener(value);
          } catch (error) {
            this.report(error);
          }
        });
      }
    } finally {
      this.delivering = false;
    }
  }
}
