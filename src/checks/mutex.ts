import fc from 'fast-check';
import { formatValue } from '../explorer/format.js';
import type { Scenario, TaskOutcome } from '../explorer/scenario.js';
import { shortName } from '../explorer/stuck.js';
import { arrayOf, type Check, callers, exported, isRecord, type Module } from './check.js';

type Mutex = { runExclusive<T>(task: () => Promise<T>): Promise<T> };

const MUTEXES = ['A', 'B'] as const;
type Name = (typeof MUTEXES)[number];

/**
 * What a caller's task does: its store write resolves, its store write rejects, or it throws
 * before returning a promise (a plain function that throws).
 */
type Kind = 'resolves' | 'rejects' | 'throws';
const KINDS: readonly Kind[] = ['resolves', 'rejects', 'throws'];

interface Caller {
  mutex: Name;
  task: Kind;
}

/** Callers of `runExclusive` on two Mutex instances, A and B. */
export interface MutexWorkload {
  callers: Caller[];
}

/** An error made by the checker: no stack (it would point into the checker, and costs time). */
function error(message: string): Error {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  const made = new Error(message);
  Error.stackTraceLimit = limit;
  return made;
}

const describeCall = (caller: Caller) =>
  `${caller.mutex}.runExclusive(${caller.task === 'resolves' ? 'a task' : caller.task === 'rejects' ? 'a task that rejects' : 'a task that throws'})`;

/**
 * The rules every interleaving keeps, per mutex (a FIFO queue of calls, one task running at a
 * time): a task starts only when no task of its mutex runs and every earlier call's task has
 * started; it is called once; runExclusive settles as its task did. A task of A is held back while a
 * call on B is unsettled, so a mutex that waits for another's task gets stuck.
 */
function scenario(workload: MutexWorkload): Scenario<Module> {
  const { callers: plan } = workload;
  const both = MUTEXES.every((m) => plan.some((c) => c.mutex === m));
  return {
    name: describe(workload),
    setup(world, mod) {
      const Mutex = exported<new () => Mutex>(mod, 'Mutex', 'the class');
      const mutexes = { A: new Mutex(), B: new Mutex() };
      const name = (i: number) => `t${i + 1}`;
      const values = plan.map((_, i) => `written by ${name(i)}`);
      const errors = plan.map((c, i) =>
        c.task === 'throws' ? error(`session too large (${name(i)})`) : error(`disk full (${name(i)})`),
      );
      /** Per mutex: the task running now, and the callers in the order they called runExclusive. */
      const running: Record<Name, number | null> = { A: null, B: null };
      const queue: Record<Name, number[]> = { A: [], B: [] };
      const started = plan.map(() => 0);
      const settled = new Set<number>();
      const bSettled = () => plan.every((c, i) => c.mutex !== 'B' || settled.has(i));

      const start = (i: number) => {
        const { mutex } = plan[i]!;
        world.access('mutex', mutex, true);
        world.record('task', [], 'starts', i);
        started[i]!++;
        if (started[i]! > 1) {
          world.fail(
            `${name(i)}'s task was called a second time: runExclusive must call its task exactly once.`,
          );
        }
        const other = running[mutex];
        if (other !== null) {
          world.fail(
            `${name(i)}'s task started while ${name(other)}'s task was still running: two tasks of one mutex ran at once (a task runs until the promise it returned has settled).`,
          );
        }
        const ahead = queue[mutex].slice(0, queue[mutex].indexOf(i)).find((j) => started[j] === 0);
        if (ahead !== undefined) {
          world.fail(
            `${name(i)}'s task started before ${name(ahead)}'s, though ${name(ahead)} called runExclusive first: a newcomer overtook a waiter (first come, first served).`,
          );
        }
        running[mutex] = i;
      };
      const finish = (i: number) => {
        const { mutex } = plan[i]!;
        world.access('mutex', mutex, true);
        if (running[mutex] === i) running[mutex] = null;
      };

      const taskOf = (i: number) => () => {
        start(i);
        const { task, mutex } = plan[i]!;
        if (task === 'throws') {
          world.record('task', [], `throws ${formatValue(errors[i])} before returning a promise`, i);
          finish(i);
          throw errors[i];
        }
        const write = world.op(
          'store.write',
          [`session of ${name(i)}`],
          () => {
            if (task === 'rejects') throw errors[i];
            return values[i];
          },
          {
            touches: [{ object: 'store', key: mutex, write: true }],
            heldBack: () =>
              both && mutex === 'A' && !bSettled()
                ? `a caller of mutex B never finished while ${name(i)}'s task on mutex A was running: a task of one Mutex must never wait for a task of another (each instance has its own lock).`
                : null,
          },
        );
        // Attached before the learner's code sees the promise: the task has ended when it settles.
        write.then(
          () => finish(i),
          () => finish(i),
        );
        return write;
      };

      return {
        tasks: plan.map((caller, i) => ({
          label: `${name(i)} ${describeCall(caller)}`,
          run: () => {
            world.access('calls', caller.mutex, true);
            queue[caller.mutex].push(i);
            return mutexes[caller.mutex].runExclusive(taskOf(i));
          },
          // No answer shows real-time order: the rules above are checked as the steps happen.
          realTime: { arrive: [], settle: [] },
        })),
        onSettle(task) {
          settled.add(task);
          world.access('settled', plan[task]!.mutex, true);
        },
        check: (outcomes) => checkOutcomes(outcomes, plan, values, errors, started),
      };
    },
  };
}

/** runExclusive settles as its task did: the task's own value, or the very error it threw. */
function checkOutcomes(
  outcomes: readonly TaskOutcome[],
  plan: readonly Caller[],
  values: readonly string[],
  errors: readonly Error[],
  started: readonly number[],
): string | null {
  for (const [i, outcome] of outcomes.entries()) {
    const who = shortName(outcomes, i);
    if (started[i] === 0) {
      return `${who}'s runExclusive ${outcome.status === 'resolved' ? 'resolved' : 'rejected'} without calling its task: every task must run exactly once.`;
    }
    if (plan[i]!.task === 'resolves') {
      if (outcome.status === 'resolved' && outcome.value === values[i]) continue;
      return outcome.status === 'rejected'
        ? `${who}'s task resolved with ${formatValue(values[i])}, yet runExclusive rejected with ${formatValue(outcome.error)}: settle as the task did.`
        : `${who}'s task resolved with ${formatValue(values[i])}, yet runExclusive resolved with ${formatValue(outcome.value)}: answer the task's own value.`;
    }
    const how = plan[i]!.task === 'throws' ? 'threw' : 'rejected with';
    if (outcome.status === 'rejected' && outcome.error === errors[i]) continue;
    return outcome.status === 'resolved'
      ? `${who}'s task ${how} ${formatValue(errors[i])}, yet runExclusive resolved with ${formatValue(outcome.value)}: the caller must see the failure (reject with the task's error).`
      : `${who}'s task ${how} ${formatValue(errors[i])}, yet runExclusive rejected with ${formatValue(outcome.error)}: reject with the task's own error object, not another one.`;
  }
  return null;
}

function describe(workload: MutexWorkload): string {
  return callers(workload.callers.map(describeCall));
}

const on = (mutex: Name, task: Kind = 'resolves'): Caller => ({ mutex, task });

const EXAMPLES: MutexWorkload[] = [
  { callers: [on('A'), on('A')] },
  { callers: [on('A', 'rejects'), on('A')] },
  { callers: [on('A', 'throws'), on('A')] },
  { callers: [on('A'), on('B')] },
  { callers: [on('A'), on('A'), on('A')] },
  { callers: [on('A', 'rejects'), on('B'), on('A')] },
];

const isCaller = (x: unknown): x is Caller =>
  isRecord(x) && MUTEXES.includes(x.mutex as Name) && KINDS.includes(x.task as Kind);

const arbitrary: fc.Arbitrary<MutexWorkload> = fc.record({
  callers: fc.array(
    fc.record({
      mutex: fc.constantFrom<Name>('A', 'A', 'B'),
      task: fc.constantFrom<Kind>('resolves', 'resolves', 'rejects', 'throws'),
    }),
    { minLength: 2, maxLength: 3 },
  ),
});

export const check: Check<MutexWorkload> = {
  exercise: 'mutex',
  version: 1,
  workloads: {
    arbitrary,
    examples: EXAMPLES,
    generated: 6,
    describe,
    parse(value) {
      if (!isRecord(value) || !arrayOf(value.callers, isCaller, 1, 4)) return null;
      return { callers: value.callers };
    },
  },
  scenario,
};
