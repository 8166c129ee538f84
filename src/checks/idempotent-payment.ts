import fc from 'fast-check';
import { formatValue } from '../explorer/format.js';
import { shortName } from '../explorer/stuck.js';
import type { Db } from '../postgres/sessions.js';
import { arrayOf, type Check, callers, exported, isRecord } from './check.js';
import { type Database, PG_BUDGET, pgScenario } from './pg-check.js';

type Charge = (db: Db, key: string, amount: number) => Promise<number>;
type Module = Record<string, unknown>;

const database: Database = {
  name: 'idempotent-payment',
  schema:
    'CREATE TABLE payments (id serial PRIMARY KEY, key text NOT NULL UNIQUE, amount int NOT NULL); ' +
    'CREATE TABLE orders (key text PRIMARY KEY)',
  // Restarting the sequence keeps the ids, and so every timeline, the same from run to run. The
  // payment with id 1000 was imported with its id: the newest payment is not the one with the top id.
  seed: {
    payments:
      "INSERT INTO payments (key, amount) VALUES ('order-41', 300); " +
      "INSERT INTO payments (id, key, amount) VALUES (1000, 'order-7', 90)",
  },
};

/**
 * How the caller calls: on its own (`plain`); inside its own READ COMMITTED transaction that
 * writes the order too and commits (`transaction`); or in one that then rolls back (`rollback`:
 * the order service failed after the charge, so the payment must vanish with the order).
 */
type Caller = 'plain' | 'transaction' | 'rollback';

interface Request {
  key: string;
  amount: number;
  caller: Caller;
}

/** Requests to charge, served by separate API servers (each its own connection and module instance). */
export interface PaymentWorkload {
  requests: Request[];
}

const charge = (mod: Module) => exported<Charge>(mod, 'charge', 'the function');

function call({ key, amount, caller }: Request) {
  const label = `charge('${key}', ${amount})${caller === 'plain' ? '' : caller === 'transaction' ? ' in a transaction' : ' in a transaction that rolls back'}`;
  if (caller === 'plain') return { label, run: (db: Db, mod: Module) => charge(mod)(db, key, amount) };
  return {
    label,
    async run(db: Db, mod: Module) {
      await db.query('BEGIN');
      try {
        // The caller's own write: it must commit (or roll back) with the payment, when the caller says so.
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
        await db.query(caller === 'transaction' ? 'COMMIT' : 'ROLLBACK');
        return id;
      } catch (error) {
        await db.query('ROLLBACK');
        throw error;
      }
    },
  };
}

function scenario({ requests }: PaymentWorkload) {
  return pgScenario(database, {
    name: describe({ requests }),
    separateProcesses: true,
    calls: requests.map(call),
    async check(outcomes, read) {
      const rows = await read<{ id: number; key: string; amount: number }>(
        'SELECT id, key, amount FROM payments ORDER BY id',
      );
      const old = rows.filter((row) => row.key === 'order-41' || row.key === 'order-7');
      if (old.map((row) => `${row.id}:${row.amount}`).join(' ') !== '1:300 1000:90') {
        return "the earlier payments of 'order-41' and 'order-7' changed.";
      }
      const committed = new Set(requests.flatMap((r) => (r.caller === 'rollback' ? [] : [r.key])));
      for (const key of new Set(requests.map((r) => r.key))) {
        const paid = rows.filter((row) => row.key === key);
        const asked = requests.flatMap((r, task) => (r.key === key ? [task] : []));
        if (!committed.has(key)) {
          if (paid.length > 0) {
            return `'${key}' has payment ${paid[0]!.id}, though every request for it was rolled back by its caller: the payment must roll back with the caller's transaction.`;
          }
          continue;
        }
        if (paid.length === 0) {
          return `there is no payment for '${key}', but ${shortName(outcomes, asked.find((t) => requests[t]!.caller !== 'rollback')!)} was asked to charge it.`;
        }
        if (paid.length > 1) {
          return `'${key}' was charged ${paid.length} times (payments ${paid.map((row) => row.id).join(', ')}): a retry charged the customer again.`;
        }
        const payment = paid[0]!;
        const amounts = asked.map((t) => requests[t]!.amount);
        if (!amounts.includes(payment.amount)) {
          return `the payment of '${key}' is for ${payment.amount}, but it was asked for ${[...new Set(amounts)].join(' or ')}.`;
        }
        for (const task of asked) {
          if (requests[task]!.caller === 'rollback') continue;
          const answer = outcomes[task]!.value;
          if (answer !== payment.id) {
            return `${shortName(outcomes, task)} answered ${formatValue(answer)}, but the payment of '${key}' is id ${payment.id}: every request with that key must answer it.`;
          }
        }
      }
      const keys = new Set(['order-41', 'order-7', ...committed]);
      if (rows.length !== keys.size) return `there are ${rows.length} payments for ${keys.size} keys.`;
      return null;
    },
  });
}

function describe({ requests }: PaymentWorkload): string {
  return callers(requests.map((r) => call(r).label));
}

const first: Request = { key: 'order-42', amount: 500, caller: 'plain' };

const EXAMPLES: PaymentWorkload[] = [
  { requests: [first, first] },
  { requests: [first, { key: 'order-43', amount: 700, caller: 'plain' }] },
  { requests: [{ ...first, caller: 'transaction' }, first] },
  { requests: [first, { ...first, caller: 'transaction' }] },
  { requests: [{ ...first, caller: 'rollback' }, first] },
  { requests: [first, { ...first, amount: 700 }] },
];

const isRequest = (x: unknown): x is Request =>
  isRecord(x) &&
  (x.key === 'order-42' || x.key === 'order-43') &&
  Number.isInteger(x.amount) &&
  (x.amount as number) > 0 &&
  (x.caller === 'plain' || x.caller === 'transaction' || x.caller === 'rollback');

export const check: Check<PaymentWorkload> = {
  exercise: 'idempotent-payment',
  version: 2,
  workloads: {
    arbitrary: fc.record({
      requests: fc.array(
        fc.record({
          key: fc.constantFrom('order-42', 'order-42', 'order-43'),
          amount: fc.constantFrom(500, 700),
          caller: fc.constantFrom<Caller>('plain', 'plain', 'transaction', 'rollback'),
        }),
        { minLength: 1, maxLength: 3 },
      ),
    }),
    examples: EXAMPLES,
    generated: 2,
    describe,
    parse(value) {
      const requests = isRecord(value) ? value.requests : undefined;
      return arrayOf(requests, isRequest, 1, 3) ? { requests } : null;
    },
  },
  scenario,
  budget: PG_BUDGET,
};
