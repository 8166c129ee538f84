import { formatValue } from '../explorer/format.js';
import { shortName } from '../explorer/stuck.js';
import type { Db } from '../postgres/sessions.js';
import { type Check, exported } from './check.js';
import { type Database, pgScenario } from './pg-check.js';

type Charge = (db: Db, key: string, amount: number) => Promise<number>;
type Module = Record<string, unknown>;

const database: Database = {
  name: 'idempotent-payment',
  schema:
    'CREATE TABLE payments (id serial PRIMARY KEY, key text NOT NULL UNIQUE, amount int NOT NULL); ' +
    'CREATE TABLE orders (key text PRIMARY KEY)',
  // Restarting the sequence keeps the ids, and so every timeline, the same from run to run. The
  // payment with id 1000 was imported with its id: the newest payment is not the one with the top id.
  seed:
    'TRUNCATE payments, orders RESTART IDENTITY; ' +
    "INSERT INTO payments (key, amount) VALUES ('order-41', 300); " +
    "INSERT INTO payments (id, key, amount) VALUES (1000, 'order-7', 90)",
};

interface Request {
  key: string;
  amount: number;
  /** The caller charges inside its own transaction (an order service writing the order with it). */
  inTransaction?: boolean;
}

const charge = (mod: Module) => exported<Charge>(mod, 'charge', 'the function');

function call({ key, amount, inTransaction }: Request) {
  const label = `charge('${key}', ${amount})${inTransaction ? ' in a transaction' : ''}`;
  if (!inTransaction) return { label, run: (db: Db, mod: Module) => charge(mod)(db, key, amount) };
  return {
    label,
    async run(db: Db, mod: Module) {
      await db.query('BEGIN');
      try {
        // The caller's own write: it must commit with the payment, when the caller says so.
        await db.query('INSERT INTO orders (key) VALUES ($1) ON CONFLICT DO NOTHING', [key]);
        const id = await charge(mod)(db, key, amount);
        const { rows } = await db.query<{ open: boolean }>(
          'SELECT pg_current_xact_id_if_assigned() IS NOT NULL AS open',
        );
        if (rows[0]?.open !== true) {
          throw new Error(
            "charge ended its caller's transaction (a COMMIT or ROLLBACK of its own): inside a caller's transaction, use single statements or a SAVEPOINT",
          );
        }
        await db.query('COMMIT');
        return id;
      } catch (error) {
        await db.query('ROLLBACK');
        throw error;
      }
    },
  };
}

/** Requests served by separate servers: one payment per key, and every request answers its id. */
function requests(name: string, list: Request[]) {
  return pgScenario(database, {
    name,
    separateProcesses: true,
    calls: list.map(call),
    async check(outcomes, read) {
      const rows = await read<{ id: number; key: string; amount: number }>(
        'SELECT id, key, amount FROM payments ORDER BY id',
      );
      const old = rows.filter((row) => row.key === 'order-41' || row.key === 'order-7');
      if (old.map((row) => `${row.id}:${row.amount}`).join(' ') !== '1:300 1000:90')
        return "the earlier payments of 'order-41' and 'order-7' changed.";
      for (const [task, { key, amount }] of list.entries()) {
        const paid = rows.filter((row) => row.key === key);
        if (paid.length === 0)
          return `there is no payment for '${key}', but ${shortName(outcomes, task)} was asked to charge it.`;
        if (paid.length > 1) {
          return `'${key}' was charged ${paid.length} times (payments ${paid.map((row) => row.id).join(', ')}): a retry charged the customer again.`;
        }
        const [payment] = paid;
        if (payment!.amount !== amount)
          return `the payment of '${key}' is for ${payment!.amount}, not ${amount}.`;
        const answer = outcomes[task]!.value;
        if (answer !== payment!.id) {
          return `${shortName(outcomes, task)} answered ${formatValue(answer)}, but the payment of '${key}' is id ${payment!.id}: every request with that key must answer it.`;
        }
      }
      const keys = new Set(['order-41', 'order-7', ...list.map((r) => r.key)]);
      if (rows.length !== keys.size) return `there are ${rows.length} payments for ${keys.size} keys.`;
      return null;
    },
  });
}

const first = { key: 'order-42', amount: 500 };

export const check: Check = {
  exercise: 'idempotent-payment',
  scenarios: [
    requests('a retry while the first request is in flight', [first, first]),
    requests('two different purchases', [first, { key: 'order-43', amount: 700 }]),
    requests('a retry arrives while the first charge’s transaction is open', [
      { ...first, inTransaction: true },
      first,
    ]),
    requests('a retry inside the caller’s transaction', [first, { ...first, inTransaction: true }]),
  ],
  budget: { maxSchedules: 50, random: 10 },
};
