/**
 * Checkout of a web shop, across services: the order is written to the shop's own PostgreSQL, one
 * unit is reserved in the warehouse's inventory service, and the card is charged by the payment
 * service. There is no transaction across the three: a failure part-way must be compensated.
 *
 *   CREATE TABLE orders (
 *     id text PRIMARY KEY,
 *     sku text NOT NULL,
 *     amount int NOT NULL,
 *     status text NOT NULL CHECK (status IN ('pending', 'completed', 'cancelled'))
 *   );
 *
 * The remote calls are idempotent by key: the same key twice has one effect. They fail as remote
 * calls do — refused (OutOfStock, Declined), unavailable (no effect), or timed out (the effect may
 * have happened: the answer was lost).
 */
export interface Db {
  query<R = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number }>;
}

export interface Inventory {
  /** Reserves one unit of `sku` under `key`; rejects (OutOfStock) when none is left. */
  reserve(key: string, sku: string): Promise<void>;
  /** Gives back what was reserved under `key`; harmless when nothing was. */
  release(key: string): Promise<void>;
}

export interface Payments {
  /** Charges `amount` under `key`; rejects (Declined) when the card is refused. */
  charge(key: string, amount: number): Promise<void>;
  /** Refunds what was charged under `key`; harmless when nothing was. */
  refund(key: string): Promise<void>;
}

export interface Services {
  inventory: Inventory;
  payments: Payments;
}

export interface Order {
  id: string;
  sku: string;
  amount: number;
}

// The durable log of a saga is its order row: 'pending' until the saga has finished one way or
// the other. Every remote call uses the order id as its key, so a call repeated — by a retry, or by
// recovery after a crash — has one effect, and a compensation is harmless where nothing happened.

/** Places `order`: completed (reserved and charged), or cancelled with nothing left reserved or charged. */
export async function placeOrder(
  db: Db,
  services: Services,
  order: Order,
): Promise<'completed' | 'cancelled'> {
  // Committed before any remote call: whatever happens next, recovery will find this saga.
  await db.query("INSERT INTO orders (id, sku, amount, status) VALUES ($1, $2, $3, 'pending')", [
    order.id,
    order.sku,
    order.amount,
  ]);
  try {
    await services.inventory.reserve(order.id, order.sku);
    await services.payments.charge(order.id, order.amount);
  } catch {
    // Refused, unavailable or timed out: a timeout may hide a success, so undo every step that was
    // attempted, not only those that answered.
    await compensate(db, services, order.id);
    return 'cancelled';
  }
  await db.query("UPDATE orders SET status = 'completed' WHERE id = $1", [order.id]);
  return 'completed';
}

/** Runs when the service starts: finishes every checkout a crash left half done. */
export async function recover(db: Db, services: Services): Promise<void> {
  const { rows } = await db.query<{ id: string }>(
    "SELECT id FROM orders WHERE status = 'pending' ORDER BY id",
  );
  // A saga interrupted anywhere is rolled back; its compensations are harmless where nothing happened.
  for (const { id } of rows) await compensate(db, services, id);
}

/** Undoes every step of order `id`, in reverse order, each until it succeeds; then cancels it. */
async function compensate(db: Db, services: Services, id: string): Promise<void> {
  await untilDone(() => services.payments.refund(id));
  await untilDone(() => services.inventory.release(id));
  await db.query("UPDATE orders SET status = 'cancelled' WHERE id = $1", [id]);
}

/** A compensation must happen: retried with exponential backoff and jitter until the service answers. */
async function untilDone(call: () => Promise<void>): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch {
      const delay = Math.min(1000, 50 * 2 ** attempt) * (0.5 + Math.random() / 2);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
