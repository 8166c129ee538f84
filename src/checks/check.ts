import type { Budget } from '../explorer/explorer.js';
import { formatValue } from '../explorer/format.js';
import type { Label, Scenario, TaskOutcome } from '../explorer/scenario.js';
import { shortName } from '../explorer/stuck.js';
import type { WorkloadSpace } from '../explorer/workloads.js';
import type { ThreadsSpec } from './threads-check.js';

export { isRecord } from '../explorer/workloads.js';

export type Module = Record<string, unknown>;

/**
 * The hidden check of one exercise: the space of workloads the contract admits, and how one
 * workload runs — its callers, the ports they get, and the invariants every outcome must keep
 * (against the contract's sequential model, by linearizability, plus the rules that hold under any
 * interleaving).
 */
export interface Check<W = unknown, M = Module> {
  exercise: string;
  /**
   * Bumped whenever the workloads or the scenarios change meaning: a replay token names the version
   * it was made for, and one from another version is refused.
   */
  version: number;
  workloads: WorkloadSpace<W>;
  scenario(workload: W): Scenario<M>;
  /** Where a schedule costs milliseconds (a real database), a smaller search. */
  budget?: Partial<Budget>;
  /**
   * The workers tier: the learner's module runs on worker threads over shared memory, and the
   * scenarios get the threads (src/workers/threads.ts) instead of a module instance.
   */
  threads?: ThreadsSpec;
}

/** A named export of the learner's module, or a clear message when it is missing. */
export function exported<T>(mod: Record<string, unknown>, name: string, what: string): T {
  const value = mod[name];
  if (typeof value !== 'function') {
    throw new Error(
      `the module must export ${what} '${name}' (keep the names and signatures of the exercise)`,
    );
  }
  return value as T;
}

/** Shorthand for a schedule written by hand: "a0" arrives task 0, "r1.0" releases task 1's first op, "f" fails it. */
export function schedule(text: string): Label[] {
  return text.split(/\s+/).map((word) => {
    if (word.startsWith('a')) return { a: Number(word.slice(1)) };
    const [task, op] = word.slice(1).split('.').map(Number) as [number, number];
    return word.startsWith('f') ? { t: task, o: op, f: 1 } : { t: task, o: op };
  });
}

/** The answers of the calls, as a verdict lists them: "t1 → true, t2 → false". */
export const results = (outcomes: readonly TaskOutcome[]) =>
  outcomes
    .map(
      (o, i) =>
        `${shortName(outcomes, i)} → ${o.status === 'rejected' ? `✗ ${formatValue(o.error)}` : formatValue(o.value)}`,
    )
    .join(', ');

/**
 * A rejection the checker did not cause, named as what it is: "t1's hit('home') threw Error: not
 * implemented". Null when every rejected call had an injected failure to blame.
 */
export function unexplainedRejection(outcomes: readonly TaskOutcome[], injected: boolean): string | null {
  if (injected) return null;
  const task = outcomes.findIndex((o) => o.status === 'rejected');
  if (task < 0) return null;
  const outcome = outcomes[task]!;
  const call = outcome.label.split(' ').slice(1).join(' ');
  return `${shortName(outcomes, task)}'s ${call} threw ${formatValue(outcome.error)}, though nothing the checker controls failed.`;
}

/** A workload's callers in words: "3 callers: hit('a'), hit('a'), count('a')". */
export function callers(calls: readonly string[]): string {
  return `${calls.length} caller${calls.length === 1 ? '' : 's'}: ${calls.join(', ')}`;
}

/** Is `value` an array whose items all pass `item`? (For reading workloads back from tokens.) */
export function arrayOf<T>(value: unknown, item: (x: unknown) => x is T, min = 0, max = 8): value is T[] {
  return Array.isArray(value) && value.length >= min && value.length <= max && value.every(item);
}
