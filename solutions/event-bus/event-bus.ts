/**
 * The in-process event bus of an order service: when an order is paid, one `emit('order.paid', …)`
 * reaches the mailer, the stock keeper, the loyalty points and the audit log. Listeners subscribe
 * and unsubscribe at any time — also from inside a listener — and may emit further events.
 */
export type Listener = (payload: unknown) => void;

/** One call of `on`: the same function subscribed twice is two subscriptions. */
interface Subscription {
  listener: Listener;
}

export class EventBus {
  private readonly subscriptions = new Map<string, readonly Subscription[]>();
  /** Deliveries asked for while one is running: they run after it, in the order asked. */
  private readonly queue: { event: string; payload: unknown }[] = [];
  private delivering = false;

  /** `report` receives what a listener throws (the service's error log). */
  constructor(private readonly report: (error: unknown) => void) {}

  /** Subscribes `listener` to `event`; the function returned unsubscribes it (again: no effect). */
  on(event: string, listener: Listener): () => void {
    const subscription: Subscription = { listener };
    // A new array on every change: a delivery under way keeps iterating the one it started with.
    this.subscriptions.set(event, [...(this.subscriptions.get(event) ?? []), subscription]);
    return () => {
      const list = this.subscriptions.get(event) ?? [];
      this.subscriptions.set(
        event,
        list.filter((s) => s !== subscription),
      );
    };
  }

  /** Delivers `payload` to every listener of `event`, in the order they subscribed. */
  emit(event: string, payload: unknown): void {
    this.queue.push({ event, payload });
    // Re-entrant call from a listener: the delivery already running drains the queue.
    if (this.delivering) return;
    this.delivering = true;
    try {
      for (let next = this.queue.shift(); next; next = this.queue.shift()) {
        for (const { listener } of this.subscriptions.get(next.event) ?? []) {
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
