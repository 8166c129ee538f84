import type { World } from './world.js';

/** One caller of the learner's code: a label for the timeline and the call itself. */
export interface TaskSpec {
  label: string;
  run: () => Promise<unknown>;
}

export type TaskStatus = 'waiting' | 'running' | 'resolved' | 'rejected';

export interface TaskOutcome {
  label: string;
  status: TaskStatus;
  value?: unknown;
  error?: unknown;
  /** Global step at which the task arrived and settled (-1 when it has not). */
  arrivedAt: number;
  settledAt: number;
}

export interface ScenarioRun {
  tasks: TaskSpec[];
  /** Called the moment a task settles; may call world.fail to break an invariant there and then. */
  onSettle?(task: number, outcomes: readonly TaskOutcome[]): void;
  /** Checked once nothing more can happen: the broken invariant in words, or null. */
  check(outcomes: readonly TaskOutcome[]): string | null | Promise<string | null>;
}

/**
 * A situation the explorer tries in every order it can: some callers of the learner's module
 * and the invariants they must observe.
 */
export interface Scenario<M> {
  name: string;
  /** How many fallible operations the explorer may make fail in one schedule. */
  maxFailures?: number;
  /**
   * Tasks that arrive in the same turn as a release, a few microtask hops after it: between an
   * unlock and the resumption of the waiter it woke. They arrive on their own only when nothing else can run.
   */
  newcomers?: number[];
  /**
   * Callers may also arrive two at once, in one synchronous turn (as `Promise.all` starts them), so
   * that neither runs a step before the other has started. Costly: for scenarios where it matters.
   */
  together?: boolean;
  /**
   * Build one run on a fresh instance of the learner's module; `another` gives a further, separate
   * instance (a second server process running the same code). May be async (to reset a database).
   */
  setup(world: World, mod: M, another: () => M): ScenarioRun | Promise<ScenarioRun>;
  /** Schedules written by hand that break the usual wrong fixes fast; tried before the search. */
  witnesses?: Label[][];
}

/**
 * One choice of the explorer. `{ a }`: task a arrives; with `n`, task n arrives in the same
 * synchronous turn (as `Promise.all([a(), n()])` starts both). `{ t, o }`: release task t's o-th
 * operation, failing it when `f`, and let task `n` arrive `h` microtask hops later in the same turn.
 */
export type Label = { a: number; n?: number } | { t: number; o: number; f?: 1; n?: number; h?: number };

export function labelTask(label: Label): number {
  return 'a' in label ? label.a : label.t;
}

export function sameLabel(x: Label, y: Label): boolean {
  if ('a' in x || 'a' in y) return 'a' in x && 'a' in y && x.a === y.a && x.n === y.n;
  return x.t === y.t && x.o === y.o && x.f === y.f && x.n === y.n && x.h === y.h;
}
