import fc from 'fast-check';
import { linearize, type SequentialModel } from '../explorer/linearizability.js';
import { shortName } from '../explorer/stuck.js';
import type { Db } from '../postgres/sessions.js';
import { arrayOf, type Check, callers, exported, isRecord, results } from './check.js';
import { type Database, PG_BUDGET, pgScenario } from './pg-check.js';

type Buy = (db: Db, itemId: number, quantity: number) => Promise<boolean>;

const VERSION = 7;
/** The attempts the statement asks for before buy gives up. */
const ATTEMPTS = 5;
const REPRICE = 'UPDATE items SET price = price + 1, version = version + 1 WHERE id = 1';
const PRICING = 'pricing service';

/**
 * Checkouts of item 1, each on its own connection. With `contended`, another service changes the
 * item right after every read a checkout makes: sustained contention, under which a retry that is
 * not bounded never ends.
 */
export interface InventoryWorkload {
  opening: number;
  quantities: number[];
  contended: boolean;
}

const database = (opening: number): Database => ({
  name: `inventory-version-${opening}`,
  schema:
    'CREATE TABLE items (id int PRIMARY KEY, stock int NOT NULL, version int NOT NULL, price int NOT NULL DEFAULT 100)',
  seed: { items: `INSERT INTO items (id, stock, version) VALUES (1, ${opening}, ${VERSION}), (2, 50, 3)` },
});

/** The contract, one checkout at a time: sell when the stock covers the order (true), else nothing (false). */
const model: SequentialModel<number, number> = {
  apply: (stock, quantity) =>
    stock >= quantity ? { state: stock - quantity, answer: true } : { state: stock, answer: false },
  key: String,
};

/** A read that does not lock the row: the moment another service can change it under the reader. */
const plainRead = (sql: string) =>
  /^\s*select\b/i.test(sql) && !/\bfor\s+(update|share|no\s+key\s+update|key\s+share)\b/i.test(sql);

function scenario(workload: InventoryWorkload) {
  const { opening, quantities, contended } = workload;
  return pgScenario(database(opening), {
    name: describe(workload),
    endless: contended
      ? `buy kept retrying while the ${PRICING} changed the item after each of its reads: bound the attempts (${ATTEMPTS}), then throw`
      : undefined,
    mayReject: true,
    calls: quantities.map((quantity) => ({
      label: `buy(1, ${quantity})`,
      run: (db: Db, mod: Record<string, unknown>, others) => {
        const reads: Db = {
          async query<R>(sql: string, params?: unknown[]) {
            const result = await db.query<R>(sql, params);
            if (plainRead(sql)) await others.interfere(`${PRICING}: ${REPRICE}`, REPRICE);
            return result;
          },
        };
        return exported<Buy>(mod, 'buy', 'the function')(contended ? reads : db, 1, quantity);
      },
    })),
    async check(outcomes, read, events) {
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
      const repriced = events.filter((e) => e.op.startsWith(PRICING) && e.result === '→ changed');
      for (const [task, outcome] of outcomes.entries()) {
        if (outcome.status !== 'rejected') continue;
        const lost = repriced.filter((e) => e.task === task).length;
        if (lost < ATTEMPTS) {
          return `${shortName(outcomes, task)} gave up (${String(outcome.error)}) after losing ${lost} race${lost === 1 ? '' : 's'}: retry up to ${ATTEMPTS} times before giving up.`;
        }
      }
      const sales = outcomes.flatMap((o, i) => (o.value === true ? [i] : []));
      const sold = sales.reduce((sum, i) => sum + quantities[i]!, 0);
      if (item.stock + sold !== opening) {
        return `the checkouts answered ${results(outcomes)} (${sold} units sold), yet the stock went from ${opening} to ${item.stock}: the stock and the sales disagree.`;
      }
      const changes = sales.length + repriced.length;
      if (item.version - VERSION !== changes) {
        return `the version went from ${VERSION} to ${item.version} after ${changes} change${changes === 1 ? '' : 's'} of the row: every change must move it by exactly one, or caches keep a stale item.`;
      }
      const linear = linearize(model, opening, quantities, outcomes, {
        skip: (i) => outcomes[i]!.status === 'rejected',
        accept: (stock) => stock === item.stock,
      });
      if (linear) return null;
      return `no order of selling one at a time gives ${results(outcomes)} from a stock of ${opening}.`;
    },
  });
}

function describe({ opening, quantities, contended }: InventoryWorkload): string {
  return [
    callers(quantities.map((q) => `buy(1, ${q})`)),
    `item 1 has ${opening} in stock`,
    ...(contended ? [`the ${PRICING} changes the item after every read`] : []),
  ].join('; ');
}

const EXAMPLES: InventoryWorkload[] = [
  { opening: 5, quantities: [3, 3], contended: false },
  { opening: 10, quantities: [3, 4], contended: false },
  { opening: 6, quantities: [3, 3], contended: false },
  { opening: 10, quantities: [3], contended: true },
];

export const check: Check<InventoryWorkload> = {
  exercise: 'inventory-version',
  version: 2,
  workloads: {
    arbitrary: fc.record({
      opening: fc.constantFrom(5, 6, 10),
      quantities: fc.array(fc.constantFrom(3, 4, 5, 6), { minLength: 1, maxLength: 3 }),
      contended: fc.constantFrom(false, false, true),
    }),
    examples: EXAMPLES,
    generated: 2,
    describe,
    parse(value) {
      if (!isRecord(value) || !Number.isInteger(value.opening) || (value.opening as number) < 0) return null;
      const quantity = (x: unknown): x is number =>
        Number.isInteger(x) && (x as number) > 0 && (x as number) <= 1000;
      if (!arrayOf(value.quantities, quantity, 1, 3) || typeof value.contended !== 'boolean') return null;
      return { opening: value.opening as number, quantities: value.quantities, contended: value.contended };
    },
  },
  scenario,
  budget: PG_BUDGET,
};
