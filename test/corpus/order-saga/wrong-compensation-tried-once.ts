// Source: hoangdaochuz/booking#39 (a refund fired once, its failure only logged) and
// apache/incubator-seata#2861 (what if a compensation fails?) — every attempted step is undone, but
// each compensation is tried once: one failed refund leaves the order pending and placeOrder rejects.
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

async function compensate(db: Db, services: Services, id: string): Promise<void> {
  await services.payments.refund(id);
  await services.inventory.release(id);
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

export async function recover(db: Db, services: Services): Promise<void> {
  const { rows } = await db.query<{ id: string }>(
    "SELECT id FROM orders WHERE status = 'pending' ORDER BY id",
  );
  for (const { id } of rows) await compensate(db, services, id);
}
