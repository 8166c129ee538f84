import fc from 'fast-check';
import { linearize, type SequentialModel } from '../explorer/linearizability.js';
import type { Scenario } from '../explorer/scenario.js';
import { shortName } from '../explorer/stuck.js';
import type { World } from '../explorer/world.js';
import {
  arrayOf,
  type Check,
  callers,
  exported,
  isRecord,
  type Module,
  results,
  schedule,
  unexplainedRejection,
} from './check.js';

interface Account {
  readonly id: string;
  readonly lock: { acquire(): Promise<() => void> };
}
interface Ledger {
  balance(id: string): Promise<number>;
  setBalance(id: string, amount: number): Promise<void>;
}
type Transfer = (ledger: Ledger, from: Account, to: Account, amount: number) => Promise<boolean>;

// The ids are anagrams of each other: a lock order by a key derived from the id (its length, the
// sum of its characters, its sorted letters) ties, and only a total order on the ids themselves holds.
const IDS = ['amy', 'may', 'yam'] as const;
type Id = (typeof IDS)[number];

/** How much a transfer moves: a fixed amount, all of `from`'s opening balance, or one more than that. */
type Amount = number | 'all' | 'more';

interface Move {
  from: Id;
  to: Id;
  amount: Amount;
}

/** Transfers between three accounts, the opening balances, and whether a ledger call may fail. */
export interface TransferWorkload {
  opening: Record<Id, number>;
  moves: Move[];
  failures: 0 | 1;
}

type Balances = ReadonlyMap<string, number>;

/** The contract, one transfer at a time: move the amount when `from` holds it (true), else nothing (false). */
const model: SequentialModel<Balances, [string, string, number]> = {
  apply(state, [from, to, amount]) {
    const enough = state.get(from)! >= amount;
    if (!enough || from === to) return { state, answer: enough };
    const next = new Map(state);
    next.set(from, state.get(from)! - amount);
    next.set(to, state.get(to)! + amount);
    return { state: next, answer: true };
  },
  key: (state) => [...state].map(([id, n]) => `${id}=${n}`).join(','),
};

/** Amounts are positive integers: "all" of an empty account is 1, which it cannot pay. */
const amountOf = (move: Move, opening: Record<Id, number>) =>
  move.amount === 'all'
    ? Math.max(1, opening[move.from])
    : move.amount === 'more'
      ? opening[move.from] + 1
      : move.amount;

function ledger(world: World, opening: Record<Id, number>) {
  const balances = new Map<string, number>(Object.entries(opening));
  const port: Ledger = {
    balance: (id) =>
      world.op('ledger.balance', [id], () => balances.get(id) ?? 0, {
        fallible: true,
        touches: [{ object: 'ledger', key: id, write: false }],
      }),
    setBalance: (id, amount) =>
      world.op(
        'ledger.setBalance',
        [id, amount],
        () => {
          balances.set(id, amount);
        },
        { fallible: true, describe: () => 'ok', touches: [{ object: 'ledger', key: id, write: true }] },
      ),
  };
  return { port, balances };
}

const show = (balances: ReadonlyMap<string, number>) =>
  [...balances].map(([id, amount]) => `${id}=${amount}`).join(', ');

function scenario(workload: TransferWorkload): Scenario<Module> {
  const { opening, moves } = workload;
  const calls = moves.map((move) => [move.from, move.to, amountOf(move, opening)] as [Id, Id, number]);
  return {
    name: describe(workload),
    maxFailures: workload.failures,
    witnesses:
      calls.length === 2 &&
      calls[0]![0] === calls[1]![1] &&
      calls[0]![1] === calls[1]![0] &&
      calls[0]![0] !== calls[0]![1]
        ? [schedule('a0 r0.0 a1 r1.0')]
        : [],
    setup(world, mod) {
      const transfer = exported<Transfer>(mod, 'transfer', 'the function');
      const { port, balances } = ledger(world, opening);
      const accounts = new Map(IDS.map((id) => [id, { id, lock: world.lock(`lock(${id})`) }]));
      return {
        tasks: calls.map(([from, to, amount], i) => ({
          label: `t${i + 1} transfer(${from} → ${to}, ${amount})`,
          alike: `${from} ${to} ${amount}`,
          run: () => transfer(port, accounts.get(from)!, accounts.get(to)!, amount),
        })),
        observe: () =>
          [...balances].map(([id, amount]) => ({ label: `balance ${id}`, value: String(amount) })),
        check(outcomes) {
          const failures = world.events.filter((event) => event.result === 'fails');
          const unexplained = unexplainedRejection(outcomes, failures.length > 0);
          if (unexplained) return unexplained;
          if (failures.length > 0) {
            const failed = failures[0]!;
            const task = outcomes[failed.task];
            if (task?.status === 'resolved') {
              return `${shortName(outcomes, failed.task)}'s ${failed.op} failed, yet transfer resolved with ${String(task.value)}: a failed ledger call must make transfer reject.`;
            }
            // Each failed call fails its own transfer; the others must still run and settle.
            const rejected = outcomes.filter((o) => o.status === 'rejected').length;
            if (rejected > failures.length) {
              return `${rejected} transfers rejected, but only ${failures.length} ledger call failed: one transfer's failure must not fail the transfers after it.`;
            }
            return null;
          }
          const negative = [...balances].find(([, amount]) => amount < 0);
          if (negative) {
            return `${negative[0]}'s balance went negative (${show(balances)}): a transfer moved money it did not check for under the lock.`;
          }
          const total = (m: ReadonlyMap<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
          const before = total(new Map(Object.entries(opening)));
          if (total(balances) !== before) {
            return `money was ${total(balances) > before ? 'created' : 'lost'}: the balances add up to ${total(balances)}, not ${before} (${show(balances)}).`;
          }
          const linear = linearize(model, new Map(Object.entries(opening)), calls, outcomes, {
            accept: (state) => show(state) === show(balances),
          });
          if (linear) return null;
          return `no order of running these transfers one at a time gives ${results(outcomes)} with ${show(balances)}.`;
        },
      };
    },
  };
}

function describe(workload: TransferWorkload): string {
  const calls = workload.moves.map((m) => `transfer(${m.from} → ${m.to}, ${amountOf(m, workload.opening)})`);
  return [
    callers(calls),
    `opening ${IDS.map((id) => `${id}=${workload.opening[id]}`).join(', ')}`,
    ...(workload.failures ? ['one ledger call may fail'] : []),
  ].join('; ');
}

const EXAMPLES: TransferWorkload[] = [
  {
    opening: { amy: 100, may: 100, yam: 0 },
    moves: [
      { from: 'amy', to: 'may', amount: 30 },
      { from: 'may', to: 'amy', amount: 20 },
    ],
    failures: 0,
  },
  {
    opening: { amy: 100, may: 100, yam: 0 },
    moves: [
      { from: 'amy', to: 'amy', amount: 30 },
      { from: 'amy', to: 'may', amount: 20 },
    ],
    failures: 0,
  },
  {
    opening: { amy: 100, may: 100, yam: 0 },
    moves: [
      { from: 'may', to: 'may', amount: 'more' },
      { from: 'amy', to: 'may', amount: 20 },
    ],
    failures: 0,
  },
  {
    opening: { amy: 40, may: 0, yam: 0 },
    moves: [
      { from: 'amy', to: 'may', amount: 'all' },
      { from: 'amy', to: 'yam', amount: 'all' },
    ],
    failures: 0,
  },
  {
    opening: { amy: 100, may: 100, yam: 0 },
    moves: [
      { from: 'amy', to: 'may', amount: 30 },
      { from: 'may', to: 'amy', amount: 20 },
    ],
    failures: 1,
  },
  {
    opening: { amy: 100, may: 100, yam: 0 },
    moves: [{ from: 'amy', to: 'amy', amount: 30 }],
    failures: 1,
  },
  // The three-way cycle last: the costliest search (its budget's worth), while most wrong fixes
  // fail in the cheaper workloads above.
  {
    opening: { amy: 100, may: 100, yam: 100 },
    moves: [
      { from: 'amy', to: 'may', amount: 10 },
      { from: 'may', to: 'yam', amount: 10 },
      { from: 'yam', to: 'amy', amount: 10 },
    ],
    failures: 0,
  },
];

const isId = (x: unknown): x is Id => IDS.includes(x as Id);
const isMove = (x: unknown): x is Move =>
  isRecord(x) &&
  isId(x.from) &&
  isId(x.to) &&
  (x.amount === 'all' ||
    x.amount === 'more' ||
    (Number.isInteger(x.amount) && (x.amount as number) > 0 && (x.amount as number) <= 1000));

const arbitrary: fc.Arbitrary<TransferWorkload> = fc.record({
  opening: fc.record({
    amy: fc.constantFrom(100, 40),
    may: fc.constantFrom(100, 0),
    yam: fc.constantFrom(0, 100),
  }),
  moves: fc.array(
    fc.record({
      from: fc.constantFrom<Id>(...IDS),
      to: fc.constantFrom<Id>(...IDS),
      amount: fc.constantFrom<Amount>(10, 30, 'all', 'more'),
    }),
    // Three transfers are the examples' cycle of three; generated pairs cover the rest cheaply.
    { minLength: 1, maxLength: 2 },
  ),
  failures: fc.constantFrom<0 | 1>(0, 0, 1),
});

export const check: Check<TransferWorkload> = {
  exercise: 'transfer',
  version: 2,
  workloads: {
    arbitrary,
    examples: EXAMPLES,
    generated: 12,
    describe,
    parse(value) {
      if (!isRecord(value) || !arrayOf(value.moves, isMove, 1, 4)) return null;
      if (value.failures !== 0 && value.failures !== 1) return null;
      const opening = value.opening;
      if (
        !isRecord(opening) ||
        !IDS.every((id) => Number.isInteger(opening[id]) && (opening[id] as number) >= 0)
      )
        return null;
      return {
        opening: opening as Record<Id, number>,
        moves: value.moves,
        failures: value.failures,
      };
    },
  },
  scenario,
};
