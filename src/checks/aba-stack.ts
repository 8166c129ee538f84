import fc from 'fast-check';
import type { Scenario, TaskOutcome } from '../explorer/scenario.js';
import { shortName } from '../explorer/stuck.js';
import { Kind } from '../workers/protocol.js';
import type { StressContext } from '../workers/stress.js';
import type { CallRecord, Threads } from '../workers/threads.js';
import { arrayOf, type Check, isRecord } from './check.js';
import { count, shared, THREADS_LIVELOCK, threw, value } from './threads-check.js';

/** Buffers are numbered 1 … BUFFERS; stack[0] is the head word and stack[n] the buffer below n. */
const BUFFERS = 8;
/** Words of the stack array: the head, the 8 links, and 7 spare words (0 at the start) the learner may use. */
const WORDS = 16;
const EMPTY = 0;

/** What a thread does, in order: take a buffer, or give back the one it took first (and still holds). */
type Op = 'pop' | 'push';

/** The stack at the start (top first) and each thread's operations. */
export interface AbaStackWorkload {
  stack: number[];
  threads: Op[][];
}

function describe(w: AbaStackWorkload): string {
  const start = w.stack.length === 0 ? 'an empty stack' : `stack ${w.stack.join(' → ')} (top first)`;
  return `${start}; ${w.threads.map((ops, i) => `t${i + 1} ${ops.join(', ')}`).join('; ')}`;
}

/** The memory for a stack holding `nodes`, top first. */
function layout(nodes: readonly number[]): number[] {
  const words = new Array<number>(WORDS).fill(0);
  words[0] = nodes[0] ?? EMPTY;
  for (let i = 0; i < nodes.length; i++) words[nodes[i]!] = nodes[i + 1] ?? EMPTY;
  return words;
}

/**
 * Take every buffer left on the stack with the learner's own pop, on one thread, nothing else
 * running: the stack's contents, top first. `cycle` when it hands out more buffers than exist.
 */
function drain(threads: Threads): { nodes: number[]; cycle: boolean } | { error: string } {
  const nodes: number[] = [];
  for (let i = 0; i <= BUFFERS; i++) {
    let answer: unknown;
    try {
      answer = threads.free(0, 'pop', [shared('stack')]);
    } catch (error) {
      return {
        error: `pop threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
      };
    }
    if (answer === EMPTY) return { nodes, cycle: false };
    if (!isBuffer(answer)) return { error: `pop answered ${String(answer)}, not a buffer number (1–8) or 0` };
    nodes.push(answer);
  }
  return { nodes, cycle: true };
}

const isBuffer = (x: unknown): x is number =>
  Number.isInteger(x) && (x as number) >= 1 && (x as number) <= BUFFERS;

/** Which buffers each thread holds at the end: the ones it popped and did not push back. */
function held(calls: readonly CallRecord[], tasks: number): Set<number>[] {
  const holds = Array.from({ length: tasks }, () => new Set<number>());
  for (const c of calls) {
    if (c.status !== 'returned') continue;
    if (c.fn === 'pop' && isBuffer(c.value)) holds[c.task]!.add(c.value);
    if (c.fn === 'push') holds[c.task]!.delete((c.args[1] as { value: number }).value);
  }
  return holds;
}

/**
 * Is there an order of the calls, one at a time, each after every call that returned before it
 * began, in which a plain stack answers what each pop answered and ends holding `final`? (A
 * linearizability check by search: Herlihy and Wing, TOPLAS 1990; at most 6 calls here.)
 */
function linearizable(
  calls: readonly CallRecord[],
  start: readonly number[],
  final: readonly number[],
): boolean {
  const done = new Array<boolean>(calls.length).fill(false);
  const search = (stack: readonly number[], left: number): boolean => {
    if (left === 0) return stack.join() === final.join();
    for (const [i, c] of calls.entries()) {
      if (done[i]) continue;
      // A call may go next only if no call still pending returned before it began.
      if (calls.some((d, j) => !done[j] && j !== i && d.end >= 0 && d.end <= c.start)) continue;
      let next: readonly number[];
      if (c.fn === 'pop') {
        if (c.value !== (stack[0] ?? EMPTY)) continue;
        next = stack.slice(1);
      } else {
        next = [(c.args[1] as { value: number }).value, ...stack];
      }
      done[i] = true;
      if (search(next, left - 1)) return true;
      done[i] = false;
    }
    return false;
  };
  return search(start, calls.length);
}

/**
 * The ABA schedule in words, when the run holds one: a successful compare-and-swap of the head
 * whose expected value its thread had read earlier in the same call, while other threads wrote the
 * head at least twice in between and brought it back to that value. Null when there is none.
 */
function abaStory(threads: Threads, outcomes: readonly TaskOutcome[]): string | null {
  const head = threads.accesses.filter((a) => a.array === 'stack' && a.index === 0);
  for (const [i, cas] of head.entries()) {
    if (cas.kind !== Kind.COMPARE_EXCHANGE || cas.before === cas.after) continue;
    const read = head
      .slice(0, i)
      .reverse()
      .find((a) => a.task === cas.task && a.call === cas.call && a.kind === Kind.LOAD);
    if (!read || read.result !== cas.before) continue;
    const between = head.filter(
      (a) => a.event > read.event && a.event < cas.event && a.task !== cas.task && a.before !== a.after,
    );
    if (between.length < 2) continue;
    const who = shortName(outcomes, cas.task);
    const others = [...new Set(between.map((a) => shortName(outcomes, a.task)))].join(' and ');
    const values = between.map((a) => String(a.after)).join(', ');
    return `This is ABA: ${who} read the head as ${String(read.result)} at step ${read.event + 1}; ${others} then set it to ${values} (steps ${between.map((a) => a.event + 1).join(', ')}); at step ${cas.event + 1} ${who}'s compare-and-swap found ${String(cas.before)} again and succeeded, installing the next it had read before the stack changed.`;
  }
  return null;
}

function judge(
  threads: Threads,
  outcomes: readonly TaskOutcome[],
  workload: AbaStackWorkload,
): string | null {
  const thrown = threw(outcomes);
  if (thrown) return thrown;
  const odd = threads.calls.find((c) => c.fn === 'pop' && c.value !== EMPTY && !isBuffer(c.value));
  if (odd)
    return `${shortName(outcomes, odd.task)}'s pop answered ${String(odd.value)}: it must answer a buffer number (1–8), or 0 when the stack is empty.`;
  const holds = held(threads.calls, workload.threads.length);
  for (let a = 0; a < holds.length; a++) {
    for (let b = a + 1; b < holds.length; b++) {
      const both = [...holds[a]!].find((n) => holds[b]!.has(n));
      if (both !== undefined)
        return `buffer ${both} was handed out to ${shortName(outcomes, a)} and to ${shortName(outcomes, b)}, and both hold it now: two threads will write the same buffer.`;
    }
  }
  const drained = drain(threads);
  if ('error' in drained) return `after every thread finished, ${drained.error}.`;
  if (drained.cycle)
    return `after every thread finished, the stack handed out ${drained.nodes.join(', ')}, … — more buffers than exist: its links form a cycle.`;
  for (const [task, mine] of holds.entries()) {
    const both = drained.nodes.find((n) => mine.has(n));
    if (both !== undefined) {
      const how =
        abaStory(threads, outcomes) ?? 'A pop swung the head to a buffer that was no longer on the stack.';
      return `buffer ${both} is back on the stack while ${shortName(outcomes, task)} still holds it: the next pop will hand it out a second time. ${how}`;
    }
  }
  const all = new Set([...drained.nodes, ...holds.flatMap((h) => [...h])]);
  const lost = workload.stack.filter((n) => !all.has(n));
  if (lost.length > 0)
    return `buffer${lost.length === 1 ? '' : 's'} ${lost.join(', ')} ${lost.length === 1 ? 'is' : 'are'} lost: neither on the stack nor held by a thread, after every thread finished.`;
  if (new Set(drained.nodes).size !== drained.nodes.length)
    return `after every thread finished, the stack held a buffer twice (${drained.nodes.join(' → ')}).`;
  if (linearizable(threads.calls, workload.stack, drained.nodes)) return null;
  const answers = threads.calls
    .filter((c) => c.fn === 'pop')
    .map((c) => `${shortName(outcomes, c.task)} pop → ${String(c.value)}`)
    .join(', ');
  return `the pops' answers (${answers}) and the stack left (${drained.nodes.join(' → ') || 'empty'}) match no order of running the calls one at a time, each after the calls that returned before it began.`;
}

function scenario(workload: AbaStackWorkload): Scenario<Threads> {
  return {
    name: describe(workload),
    livelockAdvice: THREADS_LIVELOCK,
    setup(world, threads) {
      threads.begin(
        world,
        workload.threads.map((_, i) => `t${i + 1}`),
        { stack: layout(workload.stack) },
      );
      return {
        tasks: workload.threads.map((ops, t) => ({
          label: `t${t + 1} ${ops.join(', ')}`,
          run: async () => {
            const mine: number[] = [];
            for (const op of ops) {
              if (op === 'pop') {
                const n = await threads.call(t, 'pop', [shared('stack')], { shown: 'pop()' });
                if (isBuffer(n)) mine.push(n);
                continue;
              }
              const n = mine.shift();
              if (n !== undefined)
                await threads.call(t, 'push', [shared('stack'), value(n)], { shown: `push(${n})` });
            }
          },
        })),
        check: (outcomes) => judge(threads, outcomes, workload),
      };
    },
  };
}

const EXAMPLES: AbaStackWorkload[] = [
  // The ABA schedule's workload: t1's pop reads A and its next B, t2 takes A and B and gives A back.
  { stack: [1, 2, 3], threads: [['pop'], ['pop', 'pop', 'push']] },
  {
    stack: [1, 2],
    threads: [
      ['pop', 'push'],
      ['pop', 'push'],
    ],
  },
  { stack: [1], threads: [['pop'], ['pop']] },
  { stack: [], threads: [['pop'], ['pop']] },
];

/** Each thread takes a buffer, claims it in scratch memory (a claim already there is a buffer handed out twice), and gives it back. */
const driver = (ctx: StressContext) => {
  const pop = ctx.mod.pop as unknown as (stack: Int32Array) => number;
  const push = ctx.mod.push as unknown as (stack: Int32Array, n: number) => void;
  const stack = ctx.arrays.stack!;
  const OWNER = 16;
  const rounds = 10;
  const perRound = Math.ceil(ctx.iterations / rounds);
  for (let done = 0; done < ctx.iterations; ) {
    ctx.barrier();
    const stop = Math.min(ctx.iterations, done + perRound);
    for (; done < stop; done++) {
      const n = pop(stack);
      if (n === 0) continue;
      if (n < 1 || n > 8) {
        ctx.seen('a pop answered something other than a buffer number or 0');
        continue;
      }
      if (Atomics.exchange(ctx.scratch, OWNER + n, 1) !== 0)
        ctx.seen('a buffer handed out to two threads at once');
      Atomics.store(ctx.scratch, OWNER + n, 0);
      push(stack, n);
    }
  }
};

const STRESS_ITERATIONS = 50_000;
const FULL = [1, 2, 3, 4, 5, 6, 7, 8];

const isOps = (x: unknown): x is Op[] =>
  Array.isArray(x) && x.length >= 1 && x.length <= 3 && x.every((o) => o === 'pop' || o === 'push');

export const check: Check<AbaStackWorkload, Threads> = {
  exercise: 'aba-stack',
  version: 1,
  workloads: {
    arbitrary: fc.record({
      stack: fc.constantFrom([1, 2, 3], [1, 2], [2, 1, 3], [1]),
      threads: fc.array(
        fc.constantFrom<Op[]>(['pop'], ['pop', 'push'], ['pop', 'pop', 'push'], ['pop', 'pop']),
        { minLength: 2, maxLength: 2 },
      ),
    }),
    examples: EXAMPLES,
    generated: 3,
    describe,
    parse(v) {
      if (!isRecord(v) || !arrayOf(v.threads, isOps, 1, 3) || !arrayOf(v.stack, isBuffer, 0, BUFFERS))
        return null;
      if (new Set(v.stack).size !== v.stack.length) return null;
      return { stack: v.stack, threads: v.threads };
    },
  },
  scenario,
  // A schedule hands control between threads at every access, a few milliseconds each.
  budget: { maxSchedules: 100, random: 10 },
  threads: {
    arrays: [{ name: 'stack', length: WORDS }],
    threads: 3,
    stress: {
      driver,
      iterations: STRESS_ITERATIONS,
      initial: { stack: layout(FULL) },
      judge(outcome, threads) {
        const ops = outcome.workers * STRESS_ITERATIONS;
        const size = `${count(ops)} pops and pushes`;
        const seen: string[] = [];
        for (const [what, times] of Object.entries(outcome.counts))
          seen.push(`${what} ${count(times)} time${times === 1 ? '' : 's'}`);
        const drained = drain(threads);
        if ('error' in drained) seen.push(`at the end, ${drained.error}`);
        else if (drained.cycle) seen.push('at the end, the stack’s links formed a cycle');
        else if (drained.nodes.length !== BUFFERS || new Set(drained.nodes).size !== BUFFERS)
          seen.push(
            `at the end, the stack held ${drained.nodes.length} buffers (${drained.nodes.join(', ')}), not the 8 given back`,
          );
        return { size, anomaly: seen.length > 0 ? `${seen.join('; ')} (in ${size})` : null };
      },
    },
  },
};
