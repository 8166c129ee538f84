/**
 * The in-process event bus of an order service: when an order is paid, one `emit('order.paid', …)`
 * reaches the mailer, the stock keeper, the loyalty points and the audit log. Listeners subscribe
 * and unsubscribe at any time — also from inside a listener — and may emit further events.
 */
export type Listener = (payload: unknown) => void;

export class EventBus {
  private readonly listeners = new Map<string, Listener[]>();

  /** `report` receives what a listener throws (the service's error log). */
  constructor(private readonly report: (error: unknown) => void) {}

  /** Subscribes `listener` to `event`; the function returned unsubscribes it (again: no effect). */
  on(event: string, listener: Listener): () => void {
    const list = this.listeners.get(event) ?? [];
    this.listeners.set(event, list);
    list.push(listener);
    return () => {
      const at = list.indexOf(listener);
      if (at >= 0) list.splice(at, 1);
    };
  }

  /** Delivers `payload` to every listener of `event`, in the order they subscribed. */
  emit(event: string, payload: unknown): void {
    const list = this.listeners.get(event) ?? [];
    try {
      for (let i = 0; i < list.length; i++) list[i]!(payload);
    } catch (error) {
      this.report(error);
    }
  }
}
