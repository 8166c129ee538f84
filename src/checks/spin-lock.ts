import fc from 'fast-check';
import { linearize, type SequentialModel } from '../explorer/linearizability.js';
import type { Scenario } from '../explorer/scenario.js';
import { shortName } from '../explorer/stuck.js';
import type { StressContext } from '../workers/stress.js';
import type { Threads } from '../workers/threads.js';
import { arrayOf, type Check, isRecord, results, schedule } from './check.js';
import { count, insideAtOnce, shared, spins, THREADS_LIVELOCK, threw, value } from './threads-check.js';

/** bank[0] is the lock word; bank[1] and bank[2] are the two balances. */
const LOCK = 0;
const A = 1;
const B = 2;

interface Transfer {
  from: 1 | 2;
  amount: number;
}

/** The balances before, and one transfer per thread. */
export interface SpinLockWorkload {
  balances: [number, number];
  transfers: Transfer[];
}

type Balances = readonly [number, number];

/** The contract, one transfer at a time: move the amount if `from` holds that much (true), else nothing (false). */
const model: SequentialModel<Balances, Transfer> = {
  apply(state, { from, amount }) {
    const have = state[from - 1]!;
    if (have < amount) return { state, answer: false };
    const next: [number, number] = [state[0], state[1]];
    next[from - 1] = have - amount;
    next[2 - from] = next[2 - from]! + amount;
    return { state: next, answer: true };
  },
  key: (state) => state.join(','),
};

const call = (t: Transfer) => `transfer(bank, ${t.from}, ${3 - t.from}, ${t.amount})`;

function describe(w: SpinLockWorkload): string {
  return `balances ${w.balances[0]} and ${w.balances[1]}; ${w.transfers.map((t, i) => `t${i + 1} ${call(t)}`).join(', ')}`;
}

/** The balances and the lock word a run left, and what went wrong with them first, in words. */
function judgeMemory(bank: Int32Array, before: Balances, what: string): string | null {
  const sum = before[0] + before[1];
  const [a, b] = [bank[A]!, bank[B]!];
  if (a + b !== sum) {
    return `${what}, the balances are ${a} and ${b}: they sum to ${a + b}, but they summed to ${sum} before — money was ${a + b < sum ? 'lost' : 'made'} by a transfer that wrote over another's.`;
  }
  if (a < 0 || b < 0) {
    const [i, v] = a < 0 ? [A, a] : [B, b];
    return `${what}, bank[${i}] is ${v}: a transfer moved money the account no longer had.`;
  }
  return null;
}

function scenario(workload: SpinLockWorkload): Scenario<Threads> {
  const { balances, transfers } = workload;
  return {
    name: describe(workload),
    livelockAdvice: THREADS_LIVELOCK,
    // The shipped lock's flaw, first: both threads find the lock free, take it, and move money at once.
    witnesses: [schedule('a0 a1 r0.0 r1.0 r0.1 r1.1 r0.2 r1.2 r0.3 r1.3 r0.4 r1.4 r0.5 r1.5')],
    setup(world, threads) {
      const labels = transfers.map((_, i) => `t${i + 1}`);
      threads.begin(world, labels, { bank: [0, ...balances] });
      const bank = threads.memory.array('bank');
      return {
        tasks: transfers.map((t, i) => ({
          label: `t${i + 1} ${call(t)}`,
          run: () =>
            threads.call(i, 'transfer', [shared('bank'), value(t.from), value(3 - t.from), value(t.amount)]),
        })),
        check(outcomes) {
          const thrown = threw(outcomes);
          if (thrown) return thrown;
          const odd = outcomes.findIndex((o) => typeof o.value !== 'boolean');
          if (odd >= 0) {
            return `${shortName(outcomes, odd)}'s transfer answered ${String(outcomes[odd]!.value)}: it must answer true (moved) or false (not enough money).`;
          }
          const overlap = insideAtOnce(threads, outcomes, 'bank', A, B + 1, 'the critical section');
          if (overlap) return overlap;
          const spinning = spins(threads, outcomes, 'bank', LOCK);
          if (spinning) return spinning;
          if (bank[LOCK] !== 0) {
            return `every transfer returned, but bank[0] (the lock) is still ${bank[LOCK]}: a path returns without releasing the lock, and the next transfer would wait forever.`;
          }
          const broken = judgeMemory(bank, balances, 'after every transfer returned');
          if (broken) return broken;
          const final: Balances = [bank[A]!, bank[B]!];
          const order = linearize(model, balances, transfers, outcomes, {
            accept: (state) => state[0] === final[0] && state[1] === final[1],
          });
          if (order) return null;
          return `the answers (${results(outcomes)}) and the balances left (${final[0]} and ${final[1]}) match no order of running the transfers one at a time, each after the ones that returned before it began.`;
        },
      };
    },
  };
}

const EXAMPLES: SpinLockWorkload[] = [
  {
    balances: [100, 100],
    transfers: [
      { from: 1, amount: 30 },
      { from: 2, amount: 50 },
    ],
  },
  {
    balances: [100, 0],
    transfers: [
      { from: 1, amount: 60 },
      { from: 1, amount: 60 },
    ],
  },
  {
    balances: [50, 50],
    transfers: [
      { from: 1, amount: 20 },
      { from: 2, amount: 20 },
      { from: 1, amount: 50 },
    ],
  },
  {
    balances: [10, 10],
    transfers: [
      { from: 1, amount: 10 },
      { from: 2, amount: 10 },
    ],
  },
];

const transferArbitrary = fc.record({
  from: fc.constantFrom<1 | 2>(1, 2),
  amount: fc.constantFrom(10, 30, 60),
});

const isTransfer = (x: unknown): x is Transfer =>
  isRecord(x) &&
  (x.from === 1 || x.from === 2) &&
  Number.isInteger(x.amount) &&
  (x.amount as number) > 0 &&
  (x.amount as number) <= 1000;

/** Every thread moves money back and forth between the two accounts, in rounds that start together. */
const driver = (ctx: StressContext) => {
  const transfer = ctx.mod.transfer as unknown as (
    bank: Int32Array,
    from: number,
    to: number,
    amount: number,
  ) => unknown;
  const bank = ctx.arrays.bank!;
  const rounds = 10;
  const perRound = Math.ceil(ctx.iterations / rounds);
  for (let done = 0; done < ctx.iterations; ) {
    ctx.barrier();
    const stop = Math.min(ctx.iterations, done + perRound);
    for (; done < stop; done++) {
      const from = ((done + ctx.worker) % 2) + 1;
      ctx.begin();
      const moved = transfer(bank, from, 3 - from, 1 + (done % 7));
      ctx.end();
      if (moved !== true && moved !== false) ctx.seen('a transfer answered neither true nor false');
    }
  }
};

const STRESS_ITERATIONS = 10_000;
const STRESS_BALANCE = 1_000_000;

export const check: Check<SpinLockWorkload, Threads> = {
  exercise: 'spin-lock',
  version: 1,
  workloads: {
    arbitrary: fc.record({
      balances: fc.tuple(fc.constantFrom(0, 50, 100), fc.constantFrom(0, 50, 100)),
      transfers: fc.array(transferArbitrary, { minLength: 2, maxLength: 2 }),
    }),
    examples: EXAMPLES,
    generated: 3,
    describe,
    parse(v) {
      if (!isRecord(v) || !arrayOf(v.transfers, isTransfer, 1, 3)) return null;
      const b = v.balances;
      if (!Array.isArray(b) || b.length !== 2 || !b.every((x) => Number.isInteger(x) && x >= 0 && x <= 1000))
        return null;
      return { balances: [b[0], b[1]], transfers: v.transfers };
    },
  },
  scenario,
  // A schedule hands control between threads at every access: a smaller search per workload.
  budget: { maxSchedules: 60, random: 10 },
  threads: {
    arrays: [{ name: 'bank', length: 3 }],
    threads: 3,
    stress: {
      driver,
      iterations: STRESS_ITERATIONS,
      watch: { array: 'bank', from: A, to: B + 1 },
      initial: { bank: [0, STRESS_BALANCE, STRESS_BALANCE] },
      judge(outcome, threads) {
        const transfers = outcome.workers * STRESS_ITERATIONS;
        const size = `${count(transfers)} transfers`;
        const bank = threads.memory.array('bank');
        const seen: string[] = [];
        if (outcome.overlaps > 0) {
          seen.push(
            `two threads were inside the critical section at once ${count(outcome.overlaps)} time${outcome.overlaps === 1 ? '' : 's'}`,
          );
        }
        const broken = judgeMemory(bank, [STRESS_BALANCE, STRESS_BALANCE], `after ${size}`);
        if (broken) seen.push(broken);
        if (bank[LOCK] !== 0) seen.push(`the lock word was left at ${bank[LOCK]}`);
        for (const [what, times] of Object.entries(outcome.counts)) seen.push(`${what} (${count(times)}×)`);
        return { size, anomaly: seen.length > 0 ? `${seen.join('; ')} (in ${size})` : null };
      },
    },
  },
};
