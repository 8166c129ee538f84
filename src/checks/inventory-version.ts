import type { Db } from '../postgres/sessions.js';
import { type Check, exported, realTimeOrders, results } from './check.js';
import { type Database, pgScenario } from './pg-check.js';

type Buy = (db: Db, itemId: number, quantity: number) => Promise<boolean>;

const VERSION = 7;

const database = (opening: number): Database => ({
  name: `inventory-version-${opening}`,
  schema: 'CREATE TABLE items (id int PRIMARY KEY, stock int NOT NULL, version int NOT NULL)',
  seed: `TRUNCATE items; INSERT INTO items VALUES (1, ${opening}, ${VERSION}), (2, 50, 3)`,
});

/** Two checkouts of item 1; stock, version and answers must match selling one at a time. */
function twoBuyers(name: string, opening: number, quantities: [number, number]) {
  return pgScenario(database(opening), {
    name,
    calls: quantities.map((quantity) => ({
      label: `buy(1, ${quantity})`,
      run: (db: Db, mod: Record<string, unknown>) =>
        exported<Buy>(mod, 'buy', 'the function')(db, 1, quantity),
    })),
    async check(outcomes, read) {
      const [item] = await read<{ stock: number; version: number }>(
        'SELECT stock, version FROM items WHERE id = 1',
      );
      const [other] = await read<{ stock: number; version: number }>(
        'SELECT stock, version FROM items WHERE id = 2',
      );
      if (!item || !other) return 'an item row disappeared.';
      if (other.stock !== 50 || other.version !== 3) return 'item 2 changed, but nobody bought it.';
      if (item.stock < 0)
        return `the stock of item 1 went negative (${item.stock}): units were sold that were not there.`;
      const sales = outcomes.flatMap((o, i) => (o.value === true ? [i] : []));
      const sold = sales.reduce((sum, i) => sum + quantities[i]!, 0);
      if (item.stock + sold !== opening) {
        return `the checkouts answered ${results(outcomes)} (${sold} units sold), yet the stock went from ${opening} to ${item.stock}: the stock and the sales disagree.`;
      }
      if (item.version - VERSION !== sales.length) {
        return `the version went from ${VERSION} to ${item.version} after ${sales.length} sale${sales.length === 1 ? '' : 's'}: every change must move it by exactly one, or caches keep a stale item.`;
      }
      for (const order of realTimeOrders(outcomes)) {
        let left = opening;
        const expected: boolean[] = [];
        for (const i of order) {
          expected[i] = left >= quantities[i]!;
          if (expected[i]) left -= quantities[i]!;
        }
        if (expected.every((e, i) => outcomes[i]!.value === e)) return null;
      }
      return `no order of selling one at a time gives ${results(outcomes)} from a stock of ${opening}.`;
    },
  });
}

export const check: Check = {
  exercise: 'inventory-version',
  scenarios: [
    twoBuyers('two checkouts, stock for one', 5, [3, 3]),
    twoBuyers('two checkouts, stock for both', 10, [3, 4]),
  ],
  budget: { maxSchedules: 50, random: 10 },
};
