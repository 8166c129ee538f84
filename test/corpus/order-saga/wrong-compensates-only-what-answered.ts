// Source: HsienW/chat-gun#33 ("only compensate completed steps; never touch unexecuted steps") and
// eventuate-tram/eventuate-tram-sagas#9 — compensations retried and recovery in place, but a step
// is undone only if it answered: a charge that timed out after taking the money is never refunded.
export interface Db {
  query<R = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number }>;
}

export interface Inventory {
  reserve(key: string, sku: string): Promise<void>;
  release(key: string): Promise<void>;
}

export interface Payments {
  charge(key: string, amount: number): Promise<void>;
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

async function untilDone(call: () => Promise<void>): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** Math.min(attempt, 5)));
    }
  }
}

async function undo(db: Db, services: Services, id: string, steps: { reserved: boolean; charged: boolean }) {
  if (steps.charged) await untilDone(() => services.payments.refund(id));
  if (steps.reserved) await untilDone(() => services.inventory.release(id));
  await db.query("UPDATE orders SET status = 'cancelled' WHERE id = $1", [id]);
}

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
  const steps = { reserved: false, charged: false };
  try {
    await services.inventory.reserve(order.id, order.sku);
    steps.reserved = true;
    await services.payments.charge(order.id, order.amount);
    steps.charged = true;
  } catch {
    await undo(db, services, order.id, steps);
    return 'cancelled';
  }
  await db.query("UPDATE orders SET status = 'completed' WHERE id = $1", [order.id]);
  return 'completed';
}

export async function recover(db: Db, services: Services): Promise<void> {
  const { rows } = await db.query<{ id: string }>("SELECT id FROM orders WHERE status = 'pending'");
  for (const { id } of rows) await undo(db, services, id, { reserved: true, charged: true });
}
