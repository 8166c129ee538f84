import { isUserError } from '../errors.js';
import { type Failure, MAX_STEPS } from './failure.js';
import { Fairness } from './fairness.js';
import type { Footprint } from './footprint.js';
import { formatValue } from './format.js';
import type { StateRow } from './scenario.js';
import {
  type Label,
  labelKey,
  labelTask,
  plain,
  type Scenario,
  type ScenarioRun,
  sameLabel,
  type TaskOutcome,
} from './scenario.js';
import { describeStuck, shortName } from './stuck.js';
import { BACKGROUND, type Event, type PendingOp, World } from './world.js';

/** How long to wait for a database to move a blocked statement on when nothing else can run. */
const SERVER_WAIT_MS = 3000;
/** The probe stops counting rounds after this many idle ones, or at the cap. */
const IDLE_ROUNDS = 4;
const MAX_ROUNDS = 256;

const settle = globalThis.setImmediate;
const tick = process.nextTick;
/** The longest the explorer keeps the event loop from its I/O (a cancel request, a deadline), in ms. */
const YIELD_EVERY_MS = 20;
let lastYield = performance.now();

/** One turn of the event loop: whatever Node reports when its queues are empty has been reported. */
function eventLoopTurn(): Promise<void> {
  return new Promise<void>((resolve) =>
    settle(() => {
      lastYield = performance.now();
      resolve();
    }),
  );
}

/**
 * Wait until every microtask the last step caused has run: everything async here is controlled.
 * In memory a tick is enough, since Node runs the next-tick queue only once the microtask queue is
 * empty (`processTicksAndRejections`, lib/internal/process/task_queues.js): about 1 µs, where a turn
 * of the event loop (setImmediate) costs about 7 µs — a fifth of a counter check. A turn of the
 * event loop instead when the run sent statements to a server (their answers are I/O), when the
 * learner's code queued ticks of its own (they would run after ours, and their microtasks after
 * the step), and at least every YIELD_EVERY_MS. Unhandled rejections are reported at those turns,
 * and at the end of every run (see execute).
 */
function drain(world: World): Promise<void> {
  const now = performance.now();
  if (world.remoteSent > 0 || world.learnerTicks > 0 || now - lastYield > YIELD_EVERY_MS)
    return eventLoopTurn();
  return new Promise<void>((resolve) => tick(() => (world.learnerTicks > 0 ? settle(resolve) : resolve())));
}

/** A choice available at one step and how many preemptions taking it would add. */
export interface Alternative {
  label: Label;
  preempts: number;
}

export interface Run {
  /** The choices taken, in order. */
  labels: Label[];
  /** At each step, every choice that was available (variants with newcomers only when asked for). */
  alternatives: Alternative[][];
  /** Preemptions spent before each step. */
  spent: number[];
  /** What each step read and wrote. */
  footprints: Footprint[];
  /** How many microtask rounds each step's turn took (a newcomer can arrive at hops below it). */
  turns: number[];
  /** The tasks waiting to arrive before each step. */
  waiting: number[][];
  /** Injected failures still allowed before each step. */
  failuresLeft: number[];
  failure: Failure | null;
  /** The chooser gave up on this run (every choice asleep): it adds nothing new. */
  abandoned: boolean;
  events: Event[];
  taskLabels: string[];
  /** Every task's outcome when the run ended. */
  outcomes: TaskOutcome[];
  switches: number;
  /** Operations a task repeated with the same answer while nothing else moved: polling. */
  polls: number;
  /**
   * With RunOptions.symmetry: for each task, the task just before it that it is interchangeable
   * with (TaskSpec.alike), which must arrive first; undefined when there is none.
   */
  twinBefore: (number | undefined)[];
  /** The run's world as it ended (pending operations, locks), for a caller that shows a position. */
  world?: World;
  /** The scenario's shared state as it ended (see ScenarioRun.observe); absent when it offers none. */
  observe?: () => StateRow[] | Promise<StateRow[]>;
}

/**
 * Picks the choice for the next step; `fallback` is the non-preemptive default. Null abandons the
 * run (a search does so when every choice left is one it has explored already).
 */
export type Chooser = (step: number, available: Alternative[], fallback: Label, run: Run) => Label | null;

/** Followed a schedule (by label) as far as it fits, then the default: keep running the current task. */
export function follow(labels: readonly Label[]): Chooser {
  return (step, available, fallback) => {
    const wanted = labels[step];
    if (wanted && available.some((alt) => sameLabel(alt.label, wanted))) return wanted;
    return fallback;
  };
}

/** A replay token whose schedule does not fit the code: step `step` asked for a choice that cannot run there. */
export class ScheduleMismatch extends Error {
  constructor(
    readonly step: number,
    readonly wanted: Label,
  ) {
    super(`step ${step + 1} of the schedule (${labelKey(wanted)}) cannot run there`);
    this.name = 'ScheduleMismatch';
  }
}

/** Follow `labels` exactly: a choice that is not available, or a schedule too short for the run, throws. */
export function strictly(labels: readonly Label[]): Chooser {
  return (step, available) => {
    const wanted = labels[step];
    if (!wanted) throw new ScheduleMismatch(step, { a: -1 });
    const bare = plain(wanted);
    const alternative = available.find((alt) => sameLabel(plain(alt.label), bare));
    if (!alternative) throw new ScheduleMismatch(step, wanted);
    return wanted;
  };
}

export interface RunOptions {
  /** List the newcomer variants of every step among its alternatives (for a search without reduction). */
  variants?: boolean;
  /** Keep the stack that issued each operation (PendingOp.origin), to show where in the code it waits. */
  origins?: boolean;
  /** Interchangeable callers (TaskSpec.alike) arrive in index order only: for a reduced search. */
  symmetry?: boolean;
}

interface TaskState {
  outcome: TaskOutcome;
  arrive: () => void;
  at?: number;
  /** The interchangeable task that must arrive before this one (Run.twinBefore). */
  twinBefore?: number;
}

/** For each task, the nearest earlier task with the same `alike` text (see TaskSpec.alike). */
export function twins(specs: readonly { alike?: string }[]): (number | undefined)[] {
  const last = new Map<string, number>();
  return specs.map((spec, index) => {
    if (spec.alike === undefined) return undefined;
    const before = last.get(spec.alike);
    last.set(spec.alike, index);
    return before;
  });
}

/** The world of the run under way: process-level hooks and learner globals report to it. */
export const WorldHooks: { current: World | null } = { current: null };

/**
 * Run one schedule of a scenario on a fresh module instance, asking `choose` at every step. Each
 * step is one choice (an arrival, or an operation released or failed) and the whole turn of
 * microtasks that follows it, with its footprint recorded for the reduction.
 */
export async function runSchedule<M>(
  scenario: Scenario<M>,
  instantiate: () => M,
  choose: Chooser,
  options: RunOptions = {},
): Promise<Run> {
  const world = new World();
  world.origins = options.origins === true;
  WorldHooks.current = world;
  const run: Run = {
    labels: [],
    alternatives: [],
    spent: [],
    footprints: [],
    turns: [],
    waiting: [],
    failuresLeft: [],
    failure: null,
    abandoned: false,
    events: world.events,
    taskLabels: [],
    outcomes: [],
    switches: 0,
    polls: 0,
    twinBefore: [],
    world,
  };
  const ending = { turned: false };
  try {
    return await execute(world, run, scenario, instantiate, choose, options, ending);
  } finally {
    // A run cut short (abandoned, stuck) may leave a rejection unreported: report it to this run's
    // world, not the next one's.
    if (!ending.turned) await eventLoopTurn();
    WorldHooks.current = null;
  }
}

async function execute<M>(
  world: World,
  run: Run,
  scenario: Scenario<M>,
  instantiate: () => M,
  choose: Chooser,
  options: RunOptions,
  ending: { turned: boolean },
): Promise<Run> {
  let setup: ScenarioRun;
  try {
    const mod = instantiate();
    try {
      setup = await scenario.setup(world, mod, instantiate);
    } catch (error) {
      // The machine cannot run the scenario (no database): no schedule of the learner's can fix that.
      if (isUserError(error)) throw error;
      run.failure = { kind: 'invariant', message: error instanceof Error ? error.message : String(error) };
      return run;
    }
  } catch (error) {
    if (isUserError(error)) throw error;
    run.failure = { kind: 'import', message: `the module threw while loading: ${formatValue(error)}` };
    return run;
  }
  run.taskLabels = setup.tasks.map((task) => task.label);
  if (options.symmetry) run.twinBefore = twins(setup.tasks);
  if (setup.observe) run.observe = setup.observe.bind(setup);
  let step = 0;
  const tasks: TaskState[] = setup.tasks.map((spec, index) => {
    const outcome: TaskOutcome = { label: spec.label, status: 'waiting', arrivedAt: -1, settledAt: -1 };
    const realTime = spec.realTime ?? { arrive: ['*'], settle: ['*'] };
    const settled = () => {
      outcome.settledAt = step;
      for (const name of realTime.settle) world.access('rt', name, true);
      setup.onSettle?.(
        index,
        tasks.map((task) => task.outcome),
      );
    };
    return {
      outcome,
      at: spec.at,
      twinBefore: run.twinBefore[index],
      arrive: () => {
        outcome.status = 'running';
        outcome.arrivedAt = step;
        for (const name of realTime.arrive) world.access('rt', name, false);
        if (spec.at !== undefined && spec.at > world.now) {
          world.access('clock', 'now', true);
          world.now = spec.at;
        }
        world.record('call', [], spec.label, index);
        let promise: Promise<unknown>;
        try {
          promise = world.runAs(index, () => Promise.resolve(spec.run()));
        } catch (error) {
          promise = Promise.reject(error);
        }
        promise.then(
          (value) => {
            if (outcome.status === 'crashed') return;
            outcome.status = 'resolved';
            outcome.value = value;
            world.record('return', [], value === undefined ? '✓ done' : `✓ ${formatValue(value)}`, index);
            settled();
          },
          (error: unknown) => {
            if (outcome.status === 'crashed') return;
            outcome.status = 'rejected';
            outcome.error = error;
            world.record('throw', [], `✗ ${formatValue(error)}`, index);
            settled();
          },
        );
      },
    };
  });

  const fairness = new Fairness();
  let failuresLeft = scenario.maxFailures ?? 0;
  let current: number | null = null;
  let preemptions = 0;
  await drain(world);
  for (; world.failure === null && world.strays.length === 0; step++) {
    // Only statements sent to a server can be blocked there: in memory, nothing to ask.
    if (world.remoteSent > 0) await world.stabilize();
    const choices = () => alternatives(world, tasks, current, failuresLeft, fairness);
    let available = choices();
    if (available.length === 0) {
      // A statement waits for a lock held by a task that has finished: its transaction was left
      // open, and nothing will ever end it. Say so now rather than wait out the server's timeout.
      const abandoned = leftOpen(
        world,
        tasks.map((t) => t.outcome),
      );
      if (abandoned) {
        run.failure = abandoned;
        run.outcomes = tasks.map((t) => t.outcome);
        return run;
      }
    }
    while (
      available.length === 0 &&
      world.blocked().length > 0 &&
      (await world.awaitServer(SERVER_WAIT_MS))
    ) {
      available = choices();
    }
    if (available.length === 0) break;
    if (step >= MAX_STEPS) {
      run.failure = fairness.verdict(
        tasks.map((t) => t.outcome),
        scenario.endless,
        scenario.livelockAdvice,
      );
      run.outcomes = tasks.map((t) => t.outcome);
      return run;
    }
    const waiting = tasks.flatMap((task, i) => (task.outcome.status === 'waiting' ? [i] : []));
    const fallback =
      (current !== null && available.find((alt) => labelTask(alt.label) === current)) || available[0]!;
    const label = choose(step, available, fallback.label, run);
    if (label === null) {
      run.abandoned = true;
      run.outcomes = tasks.map((t) => t.outcome);
      return run;
    }
    const bare = label.n === undefined ? label : plain(label);
    const chosen = available.find((alt) => sameLabel(alt.label, bare)) ?? fallback;
    const taken: Label = label.n !== undefined && sameLabel(chosen.label, bare) ? label : chosen.label;
    run.alternatives.push(available);
    run.spent.push(preemptions);
    run.waiting.push(waiting);
    run.failuresLeft.push(failuresLeft);
    run.labels.push(taken);
    preemptions += chosen.preempts;
    const task = labelTask(taken);
    if (current !== null && task !== current) run.switches++;
    current = task;

    world.beginStep(step);
    const probe = () => {
      world.round++;
      if (world.stepping && world.round < MAX_ROUNDS && world.round < world.lastActiveRound + IDLE_ROUNDS) {
        queueMicrotask(probe);
      }
    };
    queueMicrotask(probe);
    const newcomer = taken.n === undefined ? undefined : tasks[taken.n];
    const hops = taken.h ?? 0;
    let op: PendingOp | undefined;
    if ('a' in taken) {
      tasks[taken.a]!.arrive();
      if (newcomer) arriveAfterHops(newcomer.arrive, hops);
    } else {
      for (const pending of world.pending.values()) {
        if (pending.task === taken.t && pending.seq === taken.o) op = pending;
      }
      if (!op) throw new Error(`no pending operation ${labelKey(taken)}`);
      if (taken.f) failuresLeft--;
      // Awaited only when the release is asynchronous (a remote op): an extra await would move the
      // newcomer's arrival past the gap it is meant to slip into.
      const released = op.release(
        taken.f === 1,
        newcomer ? () => arriveAfterHops(newcomer.arrive, hops) : undefined,
      );
      if (released) await released;
    }
    await drain(world);
    for (const [index, task] of tasks.entries()) {
      if (!world.crashed.has(index) || task.outcome.status !== 'running') continue;
      task.outcome.status = 'crashed';
      task.outcome.settledAt = step;
    }
    const { footprint, turn } = world.endStep();
    run.footprints.push(footprint);
    run.turns.push(turn);
    if (op) fairness.released(task, op, world.events);
    fairness.stepped(task);
    if (taken.n !== undefined) fairness.stepped(taken.n);
    if (options.variants) addVariants(run, step, waiting, taken);
  }
  run.polls = fairness.polls;
  // Node reports an unhandled rejection only once its tick queue is empty, which ticking steps
  // never leave it: a turn of the event loop lets this run's own be reported before it is judged.
  await eventLoopTurn();
  ending.turned = true;

  const outcomes = tasks.map((task) => task.outcome);
  run.outcomes = outcomes;
  // A stray first: it may have been reported after an invariant broke, but Node would have crashed
  // the process where it happened.
  if (world.strays.length > 0) {
    run.failure = { kind: 'stray', message: world.strays[0]!.what };
  } else if (world.failure !== null) {
    run.failure = { kind: world.failureKind, message: world.failure };
  } else {
    run.failure = describeStuck(world, outcomes) ?? checkOutcome(await setup.check(outcomes));
  }
  return run;
}

/** A statement blocked by a session whose task has settled: a transaction left open. */
function leftOpen(world: World, outcomes: readonly TaskOutcome[]): Failure | null {
  for (const op of world.blocked()) {
    const holder = op.blockers?.find(
      (t) => outcomes[t]?.status === 'resolved' || outcomes[t]?.status === 'rejected',
    );
    if (holder === undefined) continue;
    const how = outcomes[holder]!.status === 'resolved' ? 'returned' : 'threw';
    return {
      kind: 'deadlock',
      message: `${shortName(outcomes, holder)} ${how} with its transaction still open, and it holds the lock ${shortName(outcomes, op.task)}'s ${op.name.split(' ')[0]} waits for: nothing will ever release it. COMMIT or ROLLBACK on every path (a finally block).`,
    };
  }
  return null;
}

function checkOutcome(broken: string | null): Failure | null {
  return broken === null ? null : { kind: 'invariant', message: broken };
}

/**
 * The task that may arrive in `task`'s place: the first of its interchangeable tasks (itself
 * included, see TaskSpec.alike) still among `waiting`; they arrive in index order.
 */
export function firstWaitingTwin(run: Run, task: number, waiting: readonly number[]): number {
  let first = task;
  for (let before = run.twinBefore[first]; before !== undefined && waiting.includes(before); ) {
    first = before;
    before = run.twinBefore[first];
  }
  return first;
}

/** Of the waiting tasks, those that may arrive now: no interchangeable task waits before them. */
export function firstTwins(run: Run, waiting: readonly number[]): number[] {
  return waiting.filter((task) => firstWaitingTwin(run, task, waiting) === task);
}

function arriveAfterHops(arrive: () => void, hops: number): void {
  if (hops === 0) {
    arrive();
    return;
  }
  queueMicrotask(() => arriveAfterHops(arrive, hops - 1));
}

/** For a search without reduction: every waiting task may also arrive at each hop of this step's turn. */
function addVariants(run: Run, step: number, waiting: number[], taken: Label): void {
  if (taken.n !== undefined) return;
  const list = run.alternatives[step]!;
  const turn = run.turns[step]!;
  for (const alt of [...list]) {
    if (!sameLabel(alt.label, plain(taken))) continue;
    // The newcomers that may arrive once this choice's own caller has (alike callers in order).
    const own = 'a' in alt.label ? alt.label.a : undefined;
    for (const n of firstTwins(
      run,
      waiting.filter((task) => task !== own),
    )) {
      for (let h = 0; h < turn; h++) list.push({ label: { ...alt.label, n, h }, preempts: alt.preempts });
    }
  }
}

function alternatives(
  world: World,
  tasks: TaskState[],
  current: number | null,
  failuresLeft: number,
  fairness: Fairness,
): Alternative[] {
  // Timed events (timers, callers with an arrival time) happen in time order.
  let nextTimed = world.nextDue();
  for (const task of tasks) {
    if (task.outcome.status === 'waiting' && task.at !== undefined && task.at < nextTimed)
      nextTimed = task.at;
  }
  const arriving = (task: TaskState) =>
    task.outcome.status === 'waiting' &&
    (task.at === undefined || task.at <= nextTimed) &&
    (task.twinBefore === undefined || tasks[task.twinBefore]!.outcome.status !== 'waiting');
  const enabled: PendingOp[] = [];
  let currentCanRun = false;
  for (const op of world.pending.values()) {
    if (!op.enabled() || (op.due !== undefined && op.due > nextTimed)) continue;
    enabled.push(op);
    if (op.task === current) currentCanRun = true;
  }
  if (enabled.length > 1) enabled.sort((x, y) => x.seq - y.seq);
  const result: Alternative[] = [];
  let fair = 0;
  // Real tasks in order, background work last.
  for (let task = 0; task <= tasks.length; task++) {
    const owner = task === tasks.length ? BACKGROUND : task;
    const preempts = currentCanRun && owner !== current ? 1 : 0;
    const before = result.length;
    if (owner !== BACKGROUND && arriving(tasks[owner]!)) result.push({ label: { a: owner }, preempts });
    for (const op of enabled) {
      if (op.task !== owner) continue;
      result.push({ label: { t: owner, o: op.seq }, preempts });
      if (op.fallible && failuresLeft > 0) result.push({ label: { t: owner, o: op.seq, f: 1 }, preempts });
    }
    if (result.length > before && !fairness.isSpinning(owner)) fair += result.length - before;
  }
  // A poller yields to every other task that can run; when all of them poll, they take turns.
  if (fair === result.length || result.length === 0) return result;
  if (fair > 0) return result.filter((alt) => !fairness.isSpinning(labelTask(alt.label)));
  fairness.newRound();
  return result;
}
