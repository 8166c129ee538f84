import type { Budget } from '../explorer/explorer.js';
import { formatValue } from '../explorer/format.js';
import type { Label, Scenario, TaskOutcome } from '../explorer/scenario.js';
import { shortName } from '../explorer/stuck.js';

/** The hidden check of one exercise: the scenarios the explorer runs against the learner's module. */
export interface Check<M = Record<string, unknown>> {
  exercise: string;
  scenarios: Scenario<M>[];
  /** Where a schedule costs milliseconds (a real database), a smaller search. */
  budget?: Partial<Budget>;
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

/** Orders of the tasks that respect real time: one that finished before another began stays first. */
export function* realTimeOrders(
  outcomes: readonly TaskOutcome[],
  rest = outcomes.map((_, i) => i),
): Generator<number[]> {
  if (rest.length === 0) return yield [];
  for (const first of rest) {
    const others = rest.filter((i) => i !== first);
    if (others.some((o) => outcomes[o]!.settledAt < outcomes[first]!.arrivedAt)) continue;
    for (const tail of realTimeOrders(outcomes, others)) yield [first, ...tail];
  }
}

export const results = (outcomes: readonly TaskOutcome[]) =>
  outcomes.map((o, i) => `${shortName(outcomes, i)} → ${formatValue(o.value)}`).join(', ');
