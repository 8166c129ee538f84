// Source: square/square-mcp-server#31 (a retried call mints a new idempotency key and charges the
// card twice) and akash-network/console#3449 — the charge is retried on failure, each attempt under a
// new key: a timeout that hid a success becomes a second charge.
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
    for (let attempt = 1; ; attempt++) {
      try {
        await services.payments.charge(`${order.id}#${attempt}`, order.amount);
        break;
      } catch (error) {
        if ((error as Error).name === 'Declined' || attempt === 3) throw error;
      }
    }
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
