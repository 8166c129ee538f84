// Source: hoangdaochuz/booking#23 ("Saga Compensation & Resume": a rebuilt saga never resumes) —
// placeOrder compensates correctly, but recovery was left for later: a crash mid-checkout leaves the
// card charged and the order pending for good.
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

async function compensate(db: Db, services: Services, id: string): Promise<void> {
  await untilDone(() => services.payments.refund(id));
  await untilDone(() => services.inventory.release(id));
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
  try {
    await services.inventory.reserve(order.id, order.sku);
    await services.payments.charge(order.id, order.amount);
  } catch {
    await compensate(db, services, order.id);
    return 'cancelled';
  }
  await db.query("UPDATE orders SET status = 'completed' WHERE id = $1", [order.id]);
  return 'completed';
}

export async function recover(_db: Db, _services: Services): Promise<void> {
  // Checkouts that crashed are rare; support refunds them by hand.
}
