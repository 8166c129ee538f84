import fc from 'fast-check';
import { formatValue } from '../explorer/format.js';
import type { TaskOutcome } from '../explorer/scenario.js';
import { shortName } from '../explorer/stuck.js';
import type { Event, World } from '../explorer/world.js';
import type { Db } from '../postgres/sessions.js';
import { arrayOf, type Check, callers, exported, isRecord } from './check.js';
import { type Database, type Others, PG_BUDGET, pgScenario } from './pg-check.js';

type Module = Record<string, unknown>;

interface Order {
  id: string;
  sku: string;
  amount: number;
}

/** The orders a workload may place: a plain one, one out of stock, one whose card is declined. */
const ORDERS: Record<string, Order> = {
  'A-17': { id: 'A-17', sku: 'book', amount: 30 },
  'B-42': { id: 'B-42', sku: 'gone', amount: 45 },
  'D-99': { id: 'D-99', sku: 'lamp', amount: 999 },
};
/** A checkout a crash left half done before the schedule starts (see `seeded`). */
const CRASHED: Order = { id: 'C-9', sku: 'mug', amount: 12 };

/**
 * Checkouts running at once (each a process of its own), then, when `recover` is set, the service
 * restarting: `recover` in a new process once every checkout has answered or died. `failures`:
 * how many remote calls may fail (be unavailable, or time out after taking effect); `dies`: the
 * first checkout's process may be killed at any remote call instead. `seeded`: before the schedule,
 * order C-9 is pending with one unit reserved (`reserved`), or reserved and charged (`charged`).
 */
export interface SagaWorkload {
  orders: string[];
  failures: number;
  dies?: boolean;
  recover?: boolean;
  seeded?: 'reserved' | 'charged';
}

const database = (seeded: SagaWorkload['seeded']): Database => ({
  name: 'order-saga',
  schema: `CREATE TABLE orders (
      id text PRIMARY KEY,
      sku text NOT NULL,
      amount int NOT NULL,
      status text NOT NULL CHECK (status IN ('pending', 'completed', 'cancelled')))`,
  seed: seeded
    ? {
        orders: `INSERT INTO orders VALUES ('${CRASHED.id}', '${CRASHED.sku}', ${CRASHED.amount}, 'pending')`,
      }
    : {},
});

/** What the simulated services did, per key: idempotent, so a key has one effect at most. */
interface Ledger {
  reserved: Map<string, boolean>;
  /** Keys charged (amount), refunded or not. */
  charged: Map<string, number>;
  refunded: Set<string>;
}

/** A refusal of a service: not a failure of the call (it answered), a business "no". */
class Refused extends Error {}

/**
 * A remote call as two steps: the request (fallible: the service is unavailable, nothing happens)
 * and the reply (fallible: the call times out after the effect took place). A crash-prone process
 * dies at either step instead.
 */
async function remote(
  world: World,
  others: Others,
  crashes: boolean,
  name: string,
  args: unknown[],
  effect: () => Refused | null,
): Promise<void> {
  const failure = crashes ? ('crashes' as const) : ('rejects' as const);
  const onCrash = crashes ? () => others.terminate() : undefined;
  const touches = [{ object: 'service', key: String(args[0]), write: true }];
  const refusal = await world.op(name, args, effect, {
    fallible: true,
    failure,
    onCrash,
    touches,
    describe: (r) => (r ? `refused: ${r.message}` : 'done'),
  });
  await world.op(`${name} reply`, args, () => undefined, {
    fallible: true,
    failure,
    onCrash,
    touches,
    describe: () => 'received',
  });
  if (refusal) throw refusal;
}

function services(world: World, others: Others, ledger: Ledger, crashes: boolean) {
  const call = (name: string, args: unknown[], effect: () => Refused | null) =>
    remote(world, others, crashes, name, args, effect);
  return {
    inventory: {
      reserve: (key: string, sku: string) =>
        call('inventory.reserve', [key, sku], () => {
          if (ledger.reserved.has(key)) return null;
          if (sku === 'gone') return Object.assign(new Refused('out of stock'), { name: 'OutOfStock' });
          ledger.reserved.set(key, true);
          return null;
        }),
      release: (key: string) =>
        call('inventory.release', [key], () => {
          if (ledger.reserved.has(key)) ledger.reserved.set(key, false);
          return null;
        }),
    },
    payments: {
      charge: (key: string, amount: number) =>
        call('payments.charge', [key, amount], () => {
          if (ledger.charged.has(key)) return null;
          if (amount === 999) return Object.assign(new Refused('card declined'), { name: 'Declined' });
          ledger.charged.set(key, amount);
          return null;
        }),
      refund: (key: string) =>
        call('payments.refund', [key], () => {
          if (ledger.charged.has(key)) ledger.refunded.add(key);
          return null;
        }),
    },
  };
}

/** The keys of one order: its id, or anything built from it (`A-17#2`). */
const keysOf = (id: string, keys: Iterable<string>) =>
  [...keys].filter(
    (key) => key === id || key.startsWith(`${id}#`) || key.startsWith(`${id}-`) || key.startsWith(`${id}:`),
  );

/** Per run: the services' ledger, and which checkouts are over (answered, or their process died). */
interface RunState {
  ledger: Ledger;
  over: Set<number>;
}

function judge(
  workload: SagaWorkload,
  outcomes: readonly TaskOutcome[],
  rows: ReadonlyMap<string, string>,
  ledger: Ledger,
): string | null {
  const name = (task: number) => shortName(outcomes, task);
  const checkouts = workload.orders.length;
  for (let task = 0; task < checkouts; task++) {
    const outcome = outcomes[task]!;
    if (outcome.status === 'rejected') {
      return `${name(task)} rejected with ${formatValue(outcome.error)}: placeOrder never rejects — it answers 'completed' or 'cancelled', retrying a compensation until it succeeds.`;
    }
    if (outcome.status !== 'resolved') continue;
    const status = rows.get(workload.orders[task]!);
    if (outcome.value !== status) {
      return `${name(task)} answered ${formatValue(outcome.value)}, but order ${workload.orders[task]} is ${status === undefined ? 'not in the database' : `'${status}'`}: the answer is the status the order ends with.`;
    }
  }
  const recovered = workload.recover === true && outcomes[checkouts]?.status === 'resolved';
  if (workload.recover && outcomes[checkouts]?.status === 'rejected') {
    return `recover rejected with ${formatValue(outcomes[checkouts]!.error)}: it runs at startup and must finish every half-done checkout.`;
  }
  const ids = [...workload.orders, ...(workload.seeded ? [CRASHED.id] : [])];
  for (const id of ids) {
    const status = rows.get(id);
    const charges = keysOf(id, ledger.charged.keys());
    const netCharged = charges.filter((key) => !ledger.refunded.has(key));
    const netReserved = keysOf(id, ledger.reserved.keys()).filter((key) => ledger.reserved.get(key));
    if (charges.length > 1) {
      return `order ${id} was charged ${charges.length} times (keys ${charges.join(', ')}): a retry or a recovery must reuse the key, so that it has one effect.`;
    }
    const state = `${netReserved.length} unit${netReserved.length === 1 ? '' : 's'} reserved and ${netCharged.length === 0 ? 'nothing' : 'the amount'} charged`;
    if (status === undefined) {
      if (charges.length > 0 || netReserved.length > 0) {
        return `order ${id} is not in the database, yet ${charges.length > 0 ? 'its card was charged' : 'a unit is reserved for it'}: commit the order's row before any remote call, so that recovery can find it.`;
      }
      continue;
    }
    const over =
      recovered ||
      outcomes.some((o, task) => task < checkouts && workload.orders[task] === id && o.status === 'resolved');
    if (status === 'pending') {
      if (over)
        return `order ${id} is still 'pending' after ${recovered ? 'recover ran' : 'placeOrder answered'} (${state}): a saga ends completed or compensated.`;
      continue;
    }
    if (status === 'completed' && (netReserved.length !== 1 || netCharged.length !== 1)) {
      return `order ${id} is 'completed' with ${state}: a completed order has its unit reserved and its amount charged.`;
    }
    if (status === 'cancelled' && (netReserved.length > 0 || netCharged.length > 0)) {
      return `order ${id} is 'cancelled' with ${state}: a cancelled order has every step undone — a step that timed out may have taken effect, and must be compensated too.`;
    }
  }
  return null;
}

const label = (id: string) =>
  `placeOrder(${id}${ORDERS[id]!.sku === 'gone' ? ', out of stock' : ORDERS[id]!.amount === 999 ? ', card declined' : ''})`;

function scenario(workload: SagaWorkload) {
  // One state per run, found from the run's event list (the check sees that, not the world).
  const runs = new WeakMap<readonly Event[], RunState>();
  const stateOf = (events: readonly Event[]) => {
    let state = runs.get(events);
    if (!state) {
      const ledger: Ledger = { reserved: new Map(), charged: new Map(), refunded: new Set() };
      if (workload.seeded) ledger.reserved.set(CRASHED.id, true);
      if (workload.seeded === 'charged') ledger.charged.set(CRASHED.id, CRASHED.amount);
      state = { ledger, over: new Set() };
      runs.set(events, state);
    }
    return state;
  };
  const checkouts = workload.orders.length;
  const calls = workload.orders.map((id, task) => ({
    label: label(id),
    async run(db: Db, mod: Module, others: Others) {
      const state = stateOf(others.world.events);
      const place = exported<(db: Db, s: unknown, o: Order) => Promise<unknown>>(
        mod,
        'placeOrder',
        'the function',
      );
      try {
        return await place(
          db,
          services(others.world, others, state.ledger, workload.dies === true && task === 0),
          {
            ...ORDERS[id]!,
          },
        );
      } finally {
        state.over.add(task);
      }
    },
  }));
  if (workload.recover) {
    calls.push({
      label: 'recover() after a restart',
      async run(db: Db, mod: Module, others: Others) {
        const { world } = others;
        const state = stateOf(world.events);
        // The service restarts once every checkout has answered or its process died.
        await world.op('the service restarts', [], () => undefined, {
          heldBack: () =>
            Array.from({ length: checkouts }, (_, t) => t).every(
              (t) => state.over.has(t) || world.crashed.has(t),
            )
              ? null
              : 'until every checkout has finished',
          touches: [],
          describe: () => 'recover runs',
        });
        const recover = exported<(db: Db, s: unknown) => Promise<unknown>>(mod, 'recover', 'the function');
        return recover(db, services(world, others, state.ledger, false));
      },
    });
  }
  return pgScenario(database(workload.seeded), {
    name: describe(workload),
    separateProcesses: true,
    mayReject: true,
    maxFailures: workload.failures,
    calls,
    async check(outcomes, read, events) {
      const rows = await read<{ id: string; status: string }>('SELECT id, status FROM orders');
      const { ledger } = stateOf(events);
      return judge(workload, outcomes, new Map(rows.map((r) => [r.id, r.status])), ledger);
    },
  });
}

function describe(workload: SagaWorkload): string {
  const calls = workload.orders.map(label);
  if (workload.recover) calls.push('recover() after a restart');
  const parts = [callers(calls)];
  if (workload.failures > 0) {
    parts.push(
      workload.dies
        ? `t1's process may be killed at a remote call`
        : `${workload.failures === 1 ? 'a remote call' : 'two remote calls'} may be unavailable or time out`,
    );
  }
  if (workload.seeded) {
    parts.push(
      `order ${CRASHED.id} was left pending by a crash, ${workload.seeded === 'charged' ? 'reserved and charged' : 'reserved, not charged'}`,
    );
  }
  return parts.join('; ');
}

const EXAMPLES: SagaWorkload[] = [
  { orders: ['A-17'], failures: 1 },
  { orders: ['A-17'], failures: 2 },
  { orders: ['B-42', 'D-99'], failures: 0 },
  { orders: [], failures: 0, recover: true, seeded: 'reserved' },
  { orders: [], failures: 0, recover: true, seeded: 'charged' },
  { orders: ['A-17'], failures: 1, dies: true, recover: true },
];

const isId = (x: unknown): x is string => typeof x === 'string' && x in ORDERS;

export const check: Check<SagaWorkload> = {
  exercise: 'order-saga',
  version: 1,
  workloads: {
    arbitrary: fc.record({
      orders: fc.uniqueArray(fc.constantFrom(...Object.keys(ORDERS)), { minLength: 1, maxLength: 2 }),
      failures: fc.integer({ min: 0, max: 1 }),
    }),
    examples: EXAMPLES,
    generated: 1,
    describe,
    parse(value) {
      if (!isRecord(value) || !arrayOf(value.orders, isId, 0, 2)) return null;
      const { failures, dies, recover, seeded } = value;
      if (failures !== 0 && failures !== 1 && failures !== 2) return null;
      if (seeded !== undefined && seeded !== 'reserved' && seeded !== 'charged') return null;
      return { orders: value.orders, failures, dies: dies === true, recover: recover === true, seeded };
    },
  },
  scenario,
  budget: PG_BUDGET,
};
