/**
 * The grader process's side of `racelings play`: run one workload of a check along the learner's
 * moves, and say where every caller stands; explore that workload for its shortest failing
 * schedule, or for proof that none exists. Deterministic: the same moves give the same position,
 * so undo is one move fewer and restart is none, and nothing is kept between requests but a cache
 * of explorations.
 */
import { createHash } from 'node:crypto';
import { SourceMap } from 'node:module';
import type { Check } from '../checks/check.js';
import { isUserError } from '../errors.js';
import { DEFAULT_BUDGET, explore } from '../explorer/explorer.js';
import { counted, formatValue } from '../explorer/format.js';
import { type Alternative, type Chooser, follow, type Run, runSchedule } from '../explorer/run.js';
import { type Label, labelKey, labelTask, type StateRow } from '../explorer/scenario.js';
import { shortName } from '../explorer/stuck.js';
import { BACKGROUND, type PendingOp } from '../explorer/world.js';
import {
  type CallerView,
  type Known,
  type Move,
  movesCount,
  type PlayedWorkload,
  type PlayPosition,
  unplayable,
} from './position.js';
import { errorMessage } from './verdict.js';
import { failed, stepsOf } from './verdicts.js';

/** A compiled learner module ready to run: its source, code and a fresh instance per call. */
export interface Playable {
  file: string;
  source: string;
  code: string;
  instantiate: () => Record<string, unknown>;
}

const taskOf = (caller: number) => (caller === 0 ? BACKGROUND : caller - 1);
const callerOf = (task: number) => (task === BACKGROUND ? 0 : task + 1);
const fails = (label: Label) => 'f' in label && label.f === 1;

/** The choice a move makes among the available ones: the caller's arrival, else its oldest operation. */
function choiceFor(move: Move, available: readonly Alternative[]): Label | null {
  const task = taskOf(move.caller);
  const fail = move.fail === true;
  const choice = available.find(
    (alt) => labelTask(alt.label) === task && alt.label.n === undefined && fails(alt.label) === fail,
  );
  return choice?.label ?? null;
}

/** A schedule of the explorer as moves (a newcomer that arrives in the same turn is a move of its own). */
export function movesOf(labels: readonly Label[]): Move[] {
  return labels.flatMap((label) => {
    const move: Move = { caller: callerOf(labelTask(label)), ...(fails(label) ? { fail: true } : {}) };
    return label.n === undefined ? [move] : [move, { caller: callerOf(label.n) }];
  });
}

function workloadOf<W>(check: Check<W>, index: number): { workload: W; played: PlayedWorkload } {
  const examples = check.workloads.examples;
  const workload = examples[index]!;
  return { workload, played: { index, count: examples.length, text: check.workloads.describe(workload) } };
}

/** The learner's source line of a stack's innermost frame in their file, through the compiled module's source map. */
function sourceLine(origin: string | undefined, file: string, map: SourceMap | null): number | null {
  if (!origin || !map) return null;
  for (const frame of origin.split('\n').slice(1)) {
    if (!frame.includes(`${file}:`)) continue;
    const at = /:(\d+):(\d+)\)?\s*$/.exec(frame);
    if (!at) continue;
    const entry = map.findEntry(Number(at[1]) - 1, Number(at[2]) - 1);
    if ('originalLine' in entry) return entry.originalLine + 1;
  }
  return null;
}

const maps = new Map<string, SourceMap | null>();

/** The source map the compiler put inline at the end of the code (see sandbox/compile.ts). */
function sourceMapOf(code: string): SourceMap | null {
  const cached = maps.get(code);
  if (cached !== undefined) return cached;
  const inline = /\/\/# sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)\s*$/.exec(code);
  let map: SourceMap | null = null;
  try {
    if (inline) map = new SourceMap(JSON.parse(Buffer.from(inline[1]!, 'base64').toString('utf8')));
  } catch {
    // Without a map the code is shown without its lines marked.
  }
  maps.set(code, map);
  return map;
}

/** Why an operation cannot take effect now, in words. */
function heldUp(op: PendingOp, run: Run): string {
  const who = (task: number) => shortName(run.outcomes, task);
  if (op.lock && op.lock.holder !== null) {
    return op.lock.holder === op.task
      ? `waits for ${op.lock.name}, which it holds itself`
      : `waits for ${op.lock.name}, held by ${who(op.lock.holder)}`;
  }
  if (op.blockedOn !== null) {
    // "waits for t1's lock" names its holder already; "waits for a row lock" does not.
    const named = (op.blockers ?? []).map(who).filter((name) => !op.blockedOn!.includes(name));
    const holders = named.length ? ` (held by ${named.join(' and ')})` : '';
    return `blocked in the database: waits for ${op.blockedOn}${holders}`;
  }
  const reason = op.heldBack();
  if (reason !== null) return `held back: ${reason}`;
  if (op.due !== undefined) return `a timer due at t=${op.due} ms: earlier timers fire first`;
  return 'cannot move now: it waits its turn (it keeps repeating an operation)';
}

function callerViews(
  run: Run,
  asked: readonly Alternative[],
  file: string,
  map: SourceMap | null,
): CallerView[] {
  const world = run.world!;
  const pending = [...world.pending.values()].sort((x, y) => x.seq - y.seq);
  const can = (task: number, fail: boolean) =>
    asked.some((alt) => labelTask(alt.label) === task && fails(alt.label) === fail);
  const view = (task: number, label: string): CallerView => {
    const outcome = run.outcomes[task];
    const base = { caller: callerOf(task), label, canMove: can(task, false), canFail: can(task, true) };
    const none = { next: null, line: null };
    if (outcome?.status === 'waiting')
      return { ...base, ...none, state: 'not started', next: { op: 'call', args: [] }, note: null };
    if (outcome?.status === 'resolved')
      return {
        ...base,
        ...none,
        state: 'done',
        note: outcome.value === undefined ? '✓ done' : `✓ ${formatValue(outcome.value)}`,
      };
    if (outcome?.status === 'rejected')
      return { ...base, ...none, state: 'threw', note: `✗ ${formatValue(outcome.error)}` };
    if (outcome?.status === 'crashed')
      return { ...base, ...none, state: 'crashed', note: '💥 its process died' };
    const ops = pending.filter((op) => op.task === task);
    const op =
      ops.find((o) =>
        asked.some((alt) => 't' in alt.label && alt.label.t === task && alt.label.o === o.seq),
      ) ?? ops[0];
    if (!op) {
      return run.abandoned
        ? {
            ...base,
            ...none,
            state: 'blocked',
            note: "waits on a promise: it goes on once another caller's step settles it",
          }
        : {
            ...base,
            ...none,
            state: 'stuck',
            note: 'waits on a promise that nothing the checker controls will settle',
          };
    }
    const next = { op: op.name, args: op.args };
    const line = sourceLine(op.origin, file, map);
    if (base.canMove) return { ...base, state: 'ready', next, note: null, line };
    return { ...base, state: 'blocked', next, note: heldUp(op, run), line };
  };
  const views = run.taskLabels.map((label, task) => view(task, label));
  if (pending.some((op) => op.task === BACKGROUND)) views.push(view(BACKGROUND, 'background work'));
  return views;
}

/** The rows of shared state: the scenario's, then every lock of the run and who holds it. */
async function stateRows(run: Run): Promise<StateRow[]> {
  const rows = run.observe ? await run.observe() : [];
  for (const lock of run.world?.locks ?? []) {
    rows.push({
      label: lock.name,
      value: lock.holder === null ? 'free' : `held by ${shortName(run.outcomes, lock.holder)}`,
    });
  }
  return rows;
}

/** How a finished run ended, for a move asked for after it. */
function endOf(run: Run): string {
  const after = `the run ended after move ${run.labels.length}`;
  return run.failure ? `${after}: ${run.failure.message}` : `${after}: every caller has settled`;
}

/** Why move `index` cannot be played, naming the callers that can move. */
function refusal(move: Move, index: number, callers: readonly CallerView[], ended: string | null): string {
  const movable = callers.filter((c) => c.canMove).map((c) => String(c.caller));
  const can = movable.length > 0 ? `callers that can move: ${movable.join(', ')}` : 'no caller can move';
  const caller = callers.find((c) => c.caller === move.caller);
  const text = `move ${index + 1} ('${move.caller}${move.fail ? 'f' : ''}')`;
  let why: string;
  if (ended !== null) why = ended;
  else if (!caller)
    why = `there is no caller ${move.caller} (${callers.length} callers: 1–${callers.length})`;
  else if (caller.canMove && move.fail)
    why = `${caller.label.split(' ')[0]}'s next step cannot be made to fail here`;
  else if (caller.note)
    why = `${caller.label.split(' ')[0]} ${caller.state === 'blocked' ? caller.note : `has finished (${caller.note})`}`;
  else why = `${caller.label.split(' ')[0]} cannot move now`;
  return `${text} is not possible: ${why} — ${can}`;
}

/**
 * The position after `moves` in workload `index` of `check`: the run follows the moves and stops
 * where they end (or at the first that cannot be played). Throws nothing a person can meet: a
 * machine without a database or a module that throws on load is a `problem` of the position.
 */
export async function playPosition<W>(
  check: Check<W>,
  index: number,
  moves: readonly Move[],
  playable: Playable,
): Promise<PlayPosition> {
  const started = performance.now();
  const { workload, played } = workloadOf(check, index);
  let asked: Alternative[] = [];
  let refused: number | null = null;
  const choose: Chooser = (step, available) => {
    asked = available;
    const move = moves[step];
    if (!move) return null;
    const choice = choiceFor(move, available);
    if (choice === null) refused = step;
    return choice;
  };
  let run: Run;
  try {
    run = await runSchedule(check.scenario(workload), playable.instantiate, choose, { origins: true });
  } catch (error) {
    if (!isUserError(error)) throw error;
    const problem = error.hint ? `${error.message} — ${error.hint}` : error.message;
    return unplayable(check.exercise, played, playable.source, problem, true);
  }
  if (run.failure?.kind === 'import')
    return unplayable(check.exercise, played, playable.source, run.failure.message, false);
  const finished = !run.abandoned;
  if (finished) asked = [];
  if (finished && run.labels.length < moves.length) refused = run.labels.length;
  const callers = callerViews(run, asked, playable.file, sourceMapOf(playable.code));
  const { schedule, tasks } = stepsOf(run);
  const base = { id: check.exercise, durationMs: performance.now() - started };
  const verdict =
    finished && run.failure
      ? {
          ...failed(base, check, workload, { run, failure: run.failure }, null),
          explored: `the schedule you played (${movesCount(run.labels.length)})`,
        }
      : null;
  return {
    id: check.exercise,
    workload: played,
    moves: moves.slice(0, run.labels.length),
    callers,
    state: await stateRows(run),
    schedule,
    tasks,
    finished,
    verdict,
    invariant: run.failure?.message ?? null,
    source: playable.source.split('\n'),
    refused:
      refused === null
        ? null
        : {
            index: refused,
            message: refusal(moves[refused]!, refused, callers, finished ? endOf(run) : null),
          },
    problem: null,
    setupProblem: false,
  };
}

const explored = new Map<string, Known>();

/**
 * What the explorer finds in workload `index`: its shortest failing schedule (as moves), or how
 * many interleavings keep every invariant. Kept per compiled module and workload for the process's life.
 */
export async function exploreWorkload<W>(check: Check<W>, index: number, playable: Playable): Promise<Known> {
  const key = createHash('sha256')
    .update(check.exercise)
    .update(String(index))
    .update(playable.code)
    .digest('hex');
  const known = explored.get(key);
  if (known) return known;
  const { workload } = workloadOf(check, index);
  let answer: Known;
  try {
    const { found, coverage } = await explore(check.scenario(workload), playable.instantiate, {
      ...DEFAULT_BUDGET,
      ...check.budget,
    });
    const cut = `${counted(coverage.interleavings, 'distinct interleaving')}${coverage.random > 0 ? ` + ${counted(coverage.random, 'random schedule')}` : ''} (the search was cut at its budget)`;
    answer = {
      shortest: found ? movesOf(found.run.labels) : null,
      failure: found?.failure.message ?? null,
      exhaustive: coverage.exhaustive,
      interleavings: coverage.interleavings,
      explored: coverage.exhaustive
        ? `all ${counted(coverage.interleavings, 'distinct interleaving')} of this workload`
        : cut,
      problem: null,
    };
  } catch (error) {
    if (!isUserError(error)) throw error;
    return {
      shortest: null,
      failure: null,
      exhaustive: false,
      interleavings: 0,
      explored: 'nothing',
      problem: errorMessage(error),
    };
  }
  explored.set(key, answer);
  return answer;
}

/** Most schedules a hint may run looking for a way to break the code from where the learner is. */
const HINT_RUNS = 300;

/**
 * A schedule that starts with `moves` and breaks the code, as moves from the start; null when none
 * was found within the budget. Searched by fewest departures from "the same caller goes on"
 * (Musuvathi and Qadeer's preemption bounding, PLDI 2007), so the lead it gives reads simply.
 */
export async function leadFrom<W>(
  check: Check<W>,
  index: number,
  moves: readonly Move[],
  playable: Playable,
): Promise<Known> {
  const { workload } = workloadOf(check, index);
  const scenario = check.scenario(workload);
  const along: Chooser = (step, available) => {
    const move = moves[step];
    return move ? choiceFor(move, available) : null;
  };
  const limit = Math.min(HINT_RUNS, 2 * (check.budget?.maxSchedules ?? HINT_RUNS));
  let runs = 0;
  try {
    const start = await runSchedule(scenario, playable.instantiate, along);
    const prefix = start.labels;
    const buckets: Label[][][] = [[prefix]];
    for (let bound = 0; bound < buckets.length; bound++) {
      const stack = buckets[bound] ?? [];
      while (stack.length > 0 && runs < limit) {
        const labels = stack.pop()!;
        const run = await runSchedule(scenario, playable.instantiate, follow(labels));
        runs++;
        if (run.failure && run.failure.kind !== 'import') {
          return {
            ...NOTHING,
            shortest: movesOf(run.labels),
            failure: run.failure.message,
            explored: `${runs} schedules`,
          };
        }
        for (let step = run.labels.length - 1; step >= prefix.length; step--) {
          for (const alt of run.alternatives[step] ?? []) {
            if (alt.label.n !== undefined || labelKey(alt.label) === labelKey(run.labels[step]!)) continue;
            const next = buckets[bound + 1] ?? [];
            buckets[bound + 1] = next;
            next.push([...run.labels.slice(0, step), alt.label]);
          }
        }
      }
    }
  } catch (error) {
    if (!isUserError(error)) throw error;
    return { ...NOTHING, problem: errorMessage(error) };
  }
  return { ...NOTHING, explored: `${runs} schedules` };
}

const NOTHING: Known = {
  shortest: null,
  failure: null,
  exhaustive: false,
  interleavings: 0,
  explored: 'nothing',
  problem: null,
};
