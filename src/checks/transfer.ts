import type { Scenario } from '../explorer/scenario.js';
import { shortName } from '../explorer/stuck.js';
import type { World } from '../explorer/world.js';
import { type Check, exported, realTimeOrders, results, schedule } from './check.js';

interface Account {
  readonly id: string;
  readonly lock: { acquire(): Promise<() => void> };
}
interface Ledger {
  balance(id: string): Promise<number>;
  setBalance(id: string, amount: number): Promise<void>;
}
type Transfer = (ledger: Ledger, from: Account, to: Account, amount: number) => Promise<boolean>;
type TransferModule = Record<string, unknown>;

/** [from, to, amount] */
type Move = [string, string, number];

function ledger(world: World, opening: Record<string, number>) {
  const balances = new Map(Object.entries(opening));
  const port: Ledger = {
    balance: (id) => world.op('ledger.balance', [id], () => balances.get(id) ?? 0, { fallible: true }),
    setBalance: (id, amount) =>
      world.op(
        'ledger.setBalance',
        [id, amount],
        () => {
          balances.set(id, amount);
        },
        { fallible: true, describe: () => 'ok' },
      ),
  };
  return { port, balances };
}

/** What running the moves one at a time in this order gives: results and final balances. */
function sequential(opening: Record<string, number>, moves: Move[], order: number[]) {
  const balances = new Map(Object.entries(opening));
  const results: boolean[] = [];
  for (const i of order) {
    const [from, to, amount] = moves[i]!;
    const enough = balances.get(from)! >= amount;
    results[i] = enough;
    if (enough && from !== to) {
      balances.set(from, balances.get(from)! - amount);
      balances.set(to, balances.get(to)! + amount);
    }
  }
  return { results, balances };
}

const show = (balances: Map<string, number>) =>
  [...balances].map(([id, amount]) => `${id}=${amount}`).join(', ');

function transfers(
  name: string,
  opening: Record<string, number>,
  moves: Move[],
  options: Partial<Scenario<TransferModule>> = {},
) {
  const scenario: Scenario<TransferModule> = {
    name,
    ...options,
    setup(world, mod) {
      const transfer = exported<Transfer>(mod, 'transfer', 'the function');
      const { port, balances } = ledger(world, opening);
      const accounts = new Map(
        Object.keys(opening).map((id) => [id, { id, lock: world.lock(`lock(${id})`) }]),
      );
      return {
        tasks: moves.map(([from, to, amount], i) => ({
          label: `t${i + 1} transfer(${from} → ${to}, ${amount})`,
          run: () => transfer(port, accounts.get(from)!, accounts.get(to)!, amount),
        })),
        check(outcomes) {
          const failures = world.events.filter((event) => event.result === 'fails');
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
          const rejected = outcomes.findIndex((o) => o.status === 'rejected');
          if (rejected >= 0) {
            return `${shortName(outcomes, rejected)} rejected though the ledger never failed: ${String(outcomes[rejected]!.error)}`;
          }
          const negative = [...balances].find(([, amount]) => amount < 0);
          if (negative)
            return `${negative[0]}'s balance went negative (${show(balances)}): a transfer moved money it did not check for under the lock.`;
          const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
          const before = total(new Map(Object.entries(opening)));
          if (total(balances) !== before) {
            return `money was ${total(balances) > before ? 'created' : 'lost'}: the balances add up to ${total(balances)}, not ${before} (${show(balances)}).`;
          }
          const values = outcomes.map((o) => o.value);
          for (const order of realTimeOrders(outcomes)) {
            const expected = sequential(opening, moves, order);
            if (
              expected.results.every((r, i) => r === values[i]) &&
              show(expected.balances) === show(balances)
            )
              return null;
          }
          return `no order of running these transfers one at a time gives ${results(outcomes)} with ${show(balances)}.`;
        },
      };
    },
  };
  return scenario;
}

// The ids are anagrams of each other: a lock order by a key derived from the id (its length, the
// sum of its characters, its sorted letters) ties, and only a total order on the ids themselves holds.
export const check: Check<TransferModule> = {
  exercise: 'transfer',
  scenarios: [
    transfers(
      'transfers in opposite directions',
      { amy: 100, may: 100 },
      [
        ['amy', 'may', 30],
        ['may', 'amy', 20],
      ],
      { witnesses: [schedule('a0 r0.0 a1 r1.0')], together: true },
    ),
    transfers('a self-transfer beside a transfer', { amy: 100, may: 100 }, [
      ['amy', 'amy', 30],
      ['amy', 'may', 20],
    ]),
    transfers('a self-transfer of more than the balance', { amy: 100, may: 100 }, [
      ['may', 'may', 500],
      ['amy', 'may', 20],
    ]),
    transfers('two transfers drawing on one balance, one of all of it', { amy: 40, may: 0, yam: 0 }, [
      ['amy', 'may', 40],
      ['amy', 'yam', 40],
    ]),
    transfers('a cycle of three', { amy: 100, may: 100, yam: 100 }, [
      ['amy', 'may', 10],
      ['may', 'yam', 10],
      ['yam', 'amy', 10],
    ]),
    transfers(
      'the ledger fails',
      { amy: 100, may: 100 },
      [
        ['amy', 'may', 30],
        ['may', 'amy', 20],
      ],
      { maxFailures: 1 },
    ),
  ],
};
