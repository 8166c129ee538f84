// Source: cadence-workflow/cadence-java-client#340 (a Saga helper: compensations registered as
// steps start, run in reverse) and apache/incubator-seata#2861 (retry a failed compensation) — each
// step registers its compensation before it is attempted, so a timed-out step is undone too.
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

class Saga {
  private readonly compensations: (() => Promise<void>)[] = [];

  /** Registers `undo` before running `step`: a step that times out may have happened. */
  async step(run: () => Promise<void>, undo: () => Promise<void>): Promise<void> {
    this.compensations.unshift(undo);
    await run();
  }

  async compensate(): Promise<void> {
    for (const undo of this.compensations) await untilDone(undo);
  }
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
  const saga = new Saga();
  try {
    await saga.step(
      () => services.inventory.reserve(order.id, order.sku),
      () => services.inventory.release(order.id),
    );
    await saga.step(
      () => services.payments.charge(order.id, order.amount),
      () => services.payments.refund(order.id),
    );
  } catch {
    await saga.compensate();
    await db.query("UPDATE orders SET status = 'cancelled' WHERE id = $1", [order.id]);
    return 'cancelled';
  }
  await db.query("UPDATE orders SET status = 'completed' WHERE id = $1", [order.id]);
  return 'completed';
}

export async function recover(db: Db, services: Services): Promise<void> {
  const { rows } = await db.query<{ id: string }>(
    "SELECT id FROM orders WHERE status = 'pending' ORDER BY id",
  );
  for (const { id } of rows) {
    await untilDone(() => services.payments.refund(id));
    await untilDone(() => services.inventory.release(id));
    await db.query("UPDATE orders SET status = 'cancelled' WHERE id = $1", [id]);
  }
}
