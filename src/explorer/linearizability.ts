import { isDeepStrictEqual } from 'node:util';
import type { TaskOutcome } from './scenario.js';

/**
 * A contract as a sequential model: what one call does to the state, and what it answers, when
 * calls run one at a time.
 */
export interface SequentialModel<S, C> {
  /** The next state and the answer of `call` on `state`. Must not change `state`. */
  apply(state: S, call: C): { state: S; answer: unknown };
  /** A text that tells states apart (to remember orders already ruled out). */
  key(state: S): string;
}

export interface Linearization<S> {
  /** The calls in the order that explains the run. */
  order: number[];
  state: S;
}

export interface LinearizeOptions<S> {
  /** The objects each call acts on: real-time order binds only calls sharing one (default: all share). */
  objects?: (call: number) => readonly string[];
  /** Whether the state the model ends in is the one the run left (the store's contents, say). */
  accept?: (state: S) => boolean;
  /** Whether a call's outcome is the model's answer (default: it resolved with a deep-equal value). */
  matches?: (call: number, answer: unknown, outcome: TaskOutcome) => boolean;
  /** Calls that take no part (a rejected call whose contract says it changed nothing). */
  skip?: (call: number) => boolean;
}

/**
 * Linearizability (Herlihy and Wing, TOPLAS 1990): find an order of the calls that respects real
 * time — a call that settled before another arrived comes first — in which every call answers
 * what the model answers and the model ends in a state the run accepts. Null when none exists.
 * Depth-first over the calls that may go next, remembering (calls placed, state) pairs that failed;
 * workloads have a handful of callers, so this is instant.
 */
export function linearize<S, C>(
  model: SequentialModel<S, C>,
  initial: S,
  calls: readonly C[],
  outcomes: readonly TaskOutcome[],
  options: LinearizeOptions<S> = {},
): Linearization<S> | null {
  const objects = options.objects ?? (() => ['*']);
  const accept = options.accept ?? (() => true);
  const matches =
    options.matches ??
    ((_: number, answer: unknown, outcome: TaskOutcome) =>
      outcome.status === 'resolved' && isDeepStrictEqual(outcome.value, answer));
  const skip = options.skip ?? (() => false);
  const included = calls.map((_, i) => i).filter((i) => !skip(i));
  const shares = (a: number, b: number) =>
    objects(a).some((o) => o === '*' || objects(b).some((p) => p === '*' || p === o));
  /** Calls that must come before call i: they settled before it arrived, on a shared object. */
  const before = included.map((i) =>
    included.filter(
      (j) =>
        j !== i &&
        shares(i, j) &&
        outcomes[j]!.settledAt >= 0 &&
        outcomes[i]!.arrivedAt >= 0 &&
        outcomes[j]!.settledAt < outcomes[i]!.arrivedAt,
    ),
  );
  const failed = new Set<string>();
  const order: number[] = [];
  const placed = new Set<number>();
  const search = (state: S): S | null => {
    if (order.length === included.length) return accept(state) ? state : null;
    const memo = `${[...placed].sort().join(',')}|${model.key(state)}`;
    if (failed.has(memo)) return null;
    for (const [position, i] of included.entries()) {
      if (placed.has(i) || before[position]!.some((j) => !placed.has(j))) continue;
      const { state: next, answer } = model.apply(state, calls[i]!);
      if (!matches(i, answer, outcomes[i]!)) continue;
      placed.add(i);
      order.push(i);
      const found = search(next);
      if (found !== null) return found;
      placed.delete(i);
      order.pop();
    }
    failed.add(memo);
    return null;
  };
  const state = search(initial);
  return state === null ? null : { order: [...order], state };
}
