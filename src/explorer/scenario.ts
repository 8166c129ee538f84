import type { World } from './world.js';

/** One caller of the learner's code: a label for the timeline and the call itself. */
export interface TaskSpec {
  label: string;
  run: () => Promise<unknown>;
  /**
   * Which real-time orders the check can observe, for the reduction: a caller's arrival reads the
   * `arrive` names and its settling writes the `settle` names, so a schedule where one call settles
   * before another arrives differs from one where they overlap only when the names meet. Calls on
   * different objects need not be ordered (linearizability is local: Herlihy and Wing,
   * "Linearizability", TOPLAS 1990, §3.3), and neither need two calls whose order no answer shows
   * (two hits of a counter). Default: every call observes every other (`*`).
   */
  realTime?: { arrive: string[]; settle: string[] };
  /** Virtual time (ms) at which the caller arrives; without it, whenever the explorer chooses. */
  at?: number;
  /**
   * Callers with the same `alike` text are interchangeable: the same call with the same arguments
   * (and arrival time), which the check judges alike whichever index it has. The reduced search
   * lets them arrive only in index order, since a schedule where t3 arrives before t2 is one where
   * t2 arrives before t3 with the two renamed (symmetry reduction: Ip and Dill, "Better
   * verification through symmetry", Formal Methods in System Design 9, 1996). Without it, every
   * caller is its own.
   */
  alike?: string;
}

/** `crashed`: the caller's process died mid-way (a scenario may crash a task, see World.crash). */
export type TaskStatus = 'waiting' | 'running' | 'resolved' | 'rejected' | 'crashed';

export interface TaskOutcome {
  label: string;
  status: TaskStatus;
  value?: unknown;
  error?: unknown;
  /** Global step at which the task arrived and settled (-1 when it has not). */
  arrivedAt: number;
  settledAt: number;
}

/** One row of a run's shared state as a person reads it: `{ label: "kv 'home'", value: '1' }`. */
export interface StateRow {
  label: string;
  value: string;
}

export interface ScenarioRun {
  tasks: TaskSpec[];
  /**
   * The shared state as it stands, in rows (the store's keys, the balances, a table's rows), for a
   * person stepping through a run (`racelings play`). Read-only: it must change nothing the run sees.
   */
  observe?(): StateRow[] | Promise<StateRow[]>;
  /** Called the moment a task settles; may call world.fail to break an invariant there and then. */
  onSettle?(task: number, outcomes: readonly TaskOutcome[]): void;
  /** Checked once nothing more can happen: the broken invariant in words, or null. */
  check(outcomes: readonly TaskOutcome[]): string | null | Promise<string | null>;
}

/**
 * One workload made runnable: some callers of the learner's module and the invariants they must
 * observe. The explorer runs it in every order it must: callers arrive between steps, two in one
 * synchronous turn, or a few microtask hops into another step's turn; operations fail; timers fire.
 */
export interface Scenario<M> {
  name: string;
  /** How many fallible operations the explorer may make fail in one schedule. */
  maxFailures?: number;
  /**
   * Build one run on a fresh instance of the learner's module; `another` gives a further, separate
   * instance (a second server process running the same code). May be async (to reset a database).
   */
  setup(world: World, mod: M, another: () => M): ScenarioRun | Promise<ScenarioRun>;
  /** What a run that never ends means in this scenario, when there is more to say than "loops forever". */
  endless?: string;
  /** What to do about a livelock, said after naming it (by default: wait on a promise instead of polling). */
  livelockAdvice?: string;
  /** Schedules written by hand that break the usual wrong fixes fast; tried before the search. */
  witnesses?: Label[][];
}

/**
 * One choice of the explorer. `{ a }`: task a arrives. `{ t, o }`: release task t's o-th
 * operation (a port call, or a timer firing), failing it when `f`. Either may carry a newcomer:
 * task `n` arrives `h` microtask hops into the same turn (h = 0: in the same synchronous turn, as
 * `Promise.all` starts its callers; h ≥ 1: between the step and the continuations it woke).
 */
export type Label =
  | { a: number; n?: number; h?: number }
  | { t: number; o: number; f?: 1; n?: number; h?: number };

export function labelTask(label: Label): number {
  return 'a' in label ? label.a : label.t;
}

/** The tasks a step moves: its own, and a newcomer's arrival. */
export function labelTasks(label: Label): number[] {
  return label.n === undefined ? [labelTask(label)] : [labelTask(label), label.n];
}

export function sameLabel(x: Label, y: Label): boolean {
  if (x.n !== y.n || (x.h ?? 0) !== (y.h ?? 0)) return false;
  if ('a' in x || 'a' in y) return 'a' in x && 'a' in y && x.a === y.a;
  return x.t === y.t && x.o === y.o && x.f === y.f;
}

/** The same choice without its newcomer. */
export function plain(label: Label): Label {
  if ('a' in label) return { a: label.a };
  return label.f ? { t: label.t, o: label.o, f: 1 } : { t: label.t, o: label.o };
}

/** A short, stable text of a label (a map key). */
export function labelKey(label: Label): string {
  const base = 'a' in label ? `a${label.a}` : `${label.f ? 'f' : 'r'}${label.t}.${label.o}`;
  return label.n === undefined ? base : `${base}+${label.n}@${label.h ?? 0}`;
}
