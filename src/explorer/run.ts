import { isUserError } from '../errors.js';
import { formatValue } from './format.js';
import {
  type Label,
  labelTask,
  type Scenario,
  type ScenarioRun,
  sameLabel,
  type TaskOutcome,
} from './scenario.js';
import { describeStuck } from './stuck.js';
import { BACKGROUND, type Event, World } from './world.js';

/** A schedule that runs longer than this is taken for a task that never stops. */
export const MAX_STEPS = 400;
/** How long to wait for a database to move a blocked statement on when nothing else can run. */
const SERVER_WAIT_MS = 3000;
/** How many microtask hops after a release a newcomer may arrive at. */
export const TURN_HOPS = [1, 2, 3, 4];

const settle = globalThis.setImmediate;
/** Wait until every microtask the last step caused has run: everything async here is controlled. */
const drain = () => new Promise<void>((resolve) => settle(resolve));

export type FailureKind = 'invariant' | 'deadlock' | 'stuck' | 'leak' | 'stray' | 'steps' | 'import';

export interface Failure {
  kind: FailureKind;
  message: string;
}

/** A choice available at one step and how many preemptions taking it would add. */
export interface Alternative {
  label: Label;
  preempts: number;
}

export interface Run {
  /** The choices taken, in order. */
  labels: Label[];
  /** At each step, every choice that was available. */
  alternatives: Alternative[][];
  /** Preemptions spent before each step. */
  spent: number[];
  failure: Failure | null;
  events: Event[];
  taskLabels: string[];
  switches: number;
}

/** Picks the choice for the next step; `fallback` is the non-preemptive default. */
export type Chooser = (step: number, available: Alternative[], fallback: Label) => Label;

/** Followed a schedule (by label) as far as it fits, then the default: keep running the current task. */
export function follow(labels: readonly Label[]): Chooser {
  return (step, available, fallback) => {
    const wanted = labels[step];
    if (wanted && available.some((alt) => sameLabel(alt.label, wanted))) return wanted;
    return fallback;
  };
}

interface TaskState {
  outcome: TaskOutcome;
  arrive: () => void;
}

/** The world of the run under way: process-level hooks report strays to it. */
export const WorldHooks: { current: World | null } = { current: null };

export async function runSchedule<M>(
  scenario: Scenario<M>,
  instantiate: () => M,
  choose: Chooser,
): Promise<Run> {
  const world = new World();
  WorldHooks.current = world;
  const run: Run = {
    labels: [],
    alternatives: [],
    spent: [],
    failure: null,
    events: world.events,
    taskLabels: [],
    switches: 0,
  };
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
  let step = 0;
  const tasks: TaskState[] = setup.tasks.map((spec, index) => {
    const outcome: TaskOutcome = { label: spec.label, status: 'waiting', arrivedAt: -1, settledAt: -1 };
    const settled = () => {
      outcome.settledAt = step;
      setup.onSettle?.(
        index,
        tasks.map((task) => task.outcome),
      );
    };
    return {
      outcome,
      arrive: () => {
        outcome.status = 'running';
        outcome.arrivedAt = step;
        world.record('call', [], spec.label, index);
        let promise: Promise<unknown>;
        try {
          promise = world.runAs(index, () => Promise.resolve(spec.run()));
        } catch (error) {
          promise = Promise.reject(error);
        }
        promise.then(
          (value) => {
            outcome.status = 'resolved';
            outcome.value = value;
            world.record('return', [], value === undefined ? '✓ done' : `✓ ${formatValue(value)}`, index);
            settled();
          },
          (error: unknown) => {
            outcome.status = 'rejected';
            outcome.error = error;
            world.record('throw', [], `✗ ${formatValue(error)}`, index);
            settled();
          },
        );
      },
    };
  });

  let failuresLeft = scenario.maxFailures ?? 0;
  let current: number | null = null;
  let preemptions = 0;
  await drain();
  for (; world.failure === null && world.strays.length === 0; step++) {
    await world.stabilize();
    const choices = () => alternatives(world, tasks, current, failuresLeft, scenario);
    let available = choices();
    while (
      available.length === 0 &&
      world.blocked().length > 0 &&
      (await world.awaitServer(SERVER_WAIT_MS))
    ) {
      available = choices();
    }
    if (available.length === 0) break;
    if (step >= MAX_STEPS) {
      run.failure = {
        kind: 'steps',
        message: `the tasks were still running after ${MAX_STEPS} steps: does something loop forever?`,
      };
      return run;
    }
    const fallback =
      (current !== null && available.find((alt) => labelTask(alt.label) === current)) || available[0]!;
    const label = choose(step, available, fallback.label);
    const chosen = available.find((alt) => sameLabel(alt.label, label)) ?? fallback;
    run.alternatives.push(available);
    run.spent.push(preemptions);
    run.labels.push(chosen.label);
    world.step = step;
    preemptions += chosen.preempts;
    const task = labelTask(chosen.label);
    if (current !== null && task !== current) run.switches++;
    current = task;
    if ('a' in chosen.label) {
      tasks[chosen.label.a]!.arrive();
      if (chosen.label.n !== undefined) tasks[chosen.label.n]!.arrive();
    } else {
      const { t, o, f, n, h } = chosen.label;
      const op = [...world.pending.values()].find((p) => p.task === t && p.seq === o)!;
      if (f) failuresLeft--;
      // Awaited only when the release is asynchronous (a remote op): an extra await would move the
      // newcomer's arrival past the gap it is meant to slip into.
      const released = op.release(
        f === 1,
        n === undefined ? undefined : () => arriveAfterHops(tasks[n]!.arrive, h ?? 0),
      );
      if (released) await released;
    }
    await drain();
  }

  const outcomes = tasks.map((task) => task.outcome);
  if (world.failure !== null) {
    run.failure = { kind: 'invariant', message: world.failure };
  } else if (world.strays.length > 0) {
    run.failure = { kind: 'stray', message: world.strays[0]!.what };
  } else {
    run.failure = describeStuck(world, outcomes) ?? checkOutcome(await setup.check(outcomes));
  }
  WorldHooks.current = null;
  return run;
}

function checkOutcome(broken: string | null): Failure | null {
  return broken === null ? null : { kind: 'invariant', message: broken };
}

function arriveAfterHops(arrive: () => void, hops: number): void {
  if (hops === 0) {
    arrive();
    return;
  }
  queueMicrotask(() => arriveAfterHops(arrive, hops - 1));
}

function alternatives(
  world: World,
  tasks: TaskState[],
  current: number | null,
  failuresLeft: number,
  { newcomers = [], together = false }: Pick<Scenario<unknown>, 'newcomers' | 'together'>,
): Alternative[] {
  const waiting = tasks.flatMap((task, index) => (task.outcome.status === 'waiting' ? [index] : []));
  const enabled = [...world.pending.values()].filter((op) => op.enabled());
  const slipping = enabled.length === 0 ? [] : waiting.filter((task) => newcomers.includes(task));
  const currentCanRun = current !== null && enabled.some((op) => op.task === current);
  const cost = (task: number) => (currentCanRun && task !== current ? 1 : 0);
  const result: Alternative[] = [];
  const owners = [...new Set([...waiting, ...enabled.map((op) => op.task)])].sort(byTask);
  for (const task of owners) {
    if (waiting.includes(task) && !slipping.includes(task)) {
      result.push({ label: { a: task }, preempts: cost(task) });
      // Or together with another caller, in one synchronous turn: neither runs a step first.
      for (const other of together ? waiting : []) {
        if (other !== task && !slipping.includes(other))
          result.push({ label: { a: task, n: other }, preempts: cost(task) });
      }
    }
    for (const op of enabled.filter((p) => p.task === task).sort((x, y) => x.seq - y.seq)) {
      result.push({ label: { t: task, o: op.seq }, preempts: cost(task) });
      if (op.fallible && failuresLeft > 0)
        result.push({ label: { t: task, o: op.seq, f: 1 }, preempts: cost(task) });
      for (const newcomer of slipping) {
        for (const hops of TURN_HOPS) {
          result.push({ label: { t: task, o: op.seq, n: newcomer, h: hops }, preempts: cost(task) });
        }
      }
    }
  }
  return result;
}

/** Real tasks in order, background work last. */
function byTask(x: number, y: number): number {
  if (x === BACKGROUND) return 1;
  if (y === BACKGROUND) return -1;
  return x - y;
}
