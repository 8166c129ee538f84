import fc from 'fast-check';
import type { Scenario } from '../explorer/scenario.js';
import type { StressContext } from '../workers/stress.js';
import type { Threads } from '../workers/threads.js';
import { arrayOf, type Check, isRecord } from './check.js';
import { count, shared, THREADS_LIVELOCK, threw, value } from './threads-check.js';

/** How many increments each thread makes, one entry per thread. */
export interface SharedCounterWorkload {
  increments: number[];
}

const SLOTS = 16;

const plural = (x: number, one: string) => `${count(x)} ${one}${x === 1 ? '' : 's'}`;

function describe(w: SharedCounterWorkload): string {
  return `${plural(w.increments.length, 'thread')}: ${w.increments.map((k, i) => `t${i + 1} increments ${k === 1 ? 'once' : `${k} times`}`).join(', ')}`;
}

/** The total as the learner's total() answers it, after every thread finished (on thread 0, nobody else running). */
function total(threads: Threads): { value: number } | { error: string } {
  try {
    const answer = threads.free(0, 'total', [shared('counts')]);
    if (typeof answer !== 'number' || !Number.isFinite(answer))
      return { error: `total() answered ${String(answer)}, not a number` };
    return { value: answer };
  } catch (error) {
    return {
      error: `total() threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
    };
  }
}

function scenario(workload: SharedCounterWorkload): Scenario<Threads> {
  const { increments } = workload;
  const expected = increments.reduce((a, b) => a + b, 0);
  return {
    name: describe(workload),
    livelockAdvice: THREADS_LIVELOCK,
    setup(world, threads) {
      const labels = increments.map((_, i) => `t${i + 1}`);
      threads.begin(world, labels, {});
      return {
        tasks: increments.map((times, i) => ({
          label: `t${i + 1} increment(counts, ${i})${times > 1 ? ` ×${times}` : ''}`,
          run: async () => {
            for (let k = 0; k < times; k++) await threads.call(i, 'increment', [shared('counts'), value(i)]);
          },
          // Nothing an increment answers shows when another ran: no real-time order to keep.
          realTime: { arrive: [], settle: [] },
        })),
        check(outcomes) {
          const thrown = threw(outcomes);
          if (thrown) return thrown;
          const answered = total(threads);
          if ('error' in answered) return `${answered.error}, after ${plural(expected, 'increment')}.`;
          const got = answered.value;
          if (got === expected) return null;
          return got < expected
            ? `${plural(expected, 'increment')} ran, but total() answered ${got}: ${plural(expected - got, 'increment')} lost: a thread wrote back a count it read before another thread changed it, or total() does not add up every count.`
            : `${plural(expected, 'increment')} ran, but total() answered ${got}: it counted ${plural(got - expected, 'increment')} that never happened.`;
        },
      };
    },
  };
}

const EXAMPLES: SharedCounterWorkload[] = [
  { increments: [1, 1] },
  { increments: [2, 2] },
  { increments: [1, 1, 1] },
  { increments: [2, 1] },
];

/** Each thread counts in rounds that start together, so that real threads overlap as much as they can. */
const driver = (ctx: StressContext) => {
  const increment = ctx.mod.increment as unknown as (counts: Int32Array, worker: number) => void;
  const counts = ctx.arrays.counts!;
  const rounds = 20;
  const perRound = Math.ceil(ctx.iterations / rounds);
  for (let done = 0; done < ctx.iterations; ) {
    ctx.barrier();
    const stop = Math.min(ctx.iterations, done + perRound);
    for (; done < stop; done++) increment(counts, ctx.worker);
  }
};

const STRESS_ITERATIONS = 200_000;

export const check: Check<SharedCounterWorkload, Threads> = {
  exercise: 'shared-counter',
  version: 1,
  workloads: {
    arbitrary: fc.record({
      increments: fc.oneof(
        fc.array(fc.constantFrom<number>(1, 2), { minLength: 2, maxLength: 2 }),
        fc.constant<number[]>([1, 1, 1]),
      ),
    }),
    examples: EXAMPLES,
    generated: 3,
    describe,
    parse(v) {
      const ok = (x: unknown): x is number => x === 1 || x === 2;
      if (!isRecord(v) || !arrayOf(v.increments, ok, 1, 3)) return null;
      return { increments: v.increments };
    },
  },
  scenario,
  threads: {
    arrays: [{ name: 'counts', length: SLOTS }],
    threads: 3,
    stress: {
      driver,
      iterations: STRESS_ITERATIONS,
      initial: {},
      judge(outcome, threads) {
        const expected = outcome.workers * STRESS_ITERATIONS;
        const size = `${count(expected)} increments`;
        const answered = total(threads);
        if ('error' in answered) return { size, anomaly: `${answered.error} after ${size}` };
        const got = answered.value;
        if (got === expected) return { size, anomaly: null };
        return {
          size,
          anomaly:
            got < expected
              ? `lost ${count(expected - got)} of ${size}`
              : `counted ${count(got - expected)} more than the ${size} made`,
        };
      },
    },
  },
};
