/**
 * What the grader process does with a request: compile the learner's file and explore it (or
 * replay one schedule of it). Loaded by child.ts once the process is set to die with its parent.
 */
import { readFile } from 'node:fs/promises';
import type { Check } from '../checks/check.js';
import { loadCheck } from '../checks/load.js';
import type { ThreadsSpec } from '../checks/threads-check.js';
import { isUserError } from '../errors.js';
import { DEFAULT_BUDGET } from '../explorer/explorer.js';
import { decodeReplay } from '../explorer/replay.js';
import { follow, runSchedule, ScheduleMismatch, strictly } from '../explorer/run.js';
import { exploreWorkloads } from '../explorer/workloads.js';
import { onServicesChange, releaseAll } from '../processes/services.js';
import { closeBuiltinModules, LearnerConsole, moduleFactory } from '../sandbox/learner-module.js';
import { containStrays } from '../sandbox/strays.js';
import { stress, stressWorkers } from '../workers/stress.js';
import { Threads } from '../workers/threads.js';
import { answered, compileRequest, receiveCompiled } from './offered.js';
import { exploreWorkload, leadFrom, type Playable, playPosition } from './play.js';
import { nothingKnown, unplayable } from './position.js';
import type { GradeRequest, GraderMessage, ParentMessage, PlayRequest } from './protocol.js';
import { cannotGrade, compileError, contained, errorMessage, type Verdict } from './verdict.js';
import { failed, passed, replayPassed, stressFailed, stressNote, threadsPassed } from './verdicts.js';

const HEARTBEAT_MS = 250;

function send(message: GraderMessage): void {
  process.send?.(message);
}

async function grade(request: GradeRequest): Promise<Verdict> {
  const started = performance.now();
  const base = () => ({ id: request.exercise, durationMs: performance.now() - started });
  const check = await loadCheck(request.exercise);
  if (!check)
    return cannotGrade(
      base(),
      `this installation has no check for '${request.exercise}': reinstall racelings`,
    );
  let source: string;
  try {
    source = request.source ?? (await readFile(request.file, 'utf8'));
  } catch (error) {
    return contained(
      base(),
      `cannot read ${request.shownAs}: ${errorMessage(error)} (run 'racelings reset ${request.exercise}')`,
    );
  }
  const compilation = compileRequest(request, source);
  const first = await compilation.first;
  if (first.code === null) return compileError(base(), (await compilation.done).diagnostics);
  const { requestId } = request;
  send({ type: 'exploring', requestId, typeChecked: first.checked });
  // Timers fire only while the event loop turns: learner code that spins stops the heartbeat.
  const heartbeat = setInterval(() => send({ type: 'heartbeat', requestId }), HEARTBEAT_MS);
  try {
    if (first.checked) return await gradeCode(request, check, first.code, base);
    // Explored while the type check runs: the parent learns when it passed (see Grader.grade).
    void compilation.done.then(
      (compiled) => compiled.code !== null && send({ type: 'typed', requestId }),
      () => {},
    );
    // The exploring ends before anything is answered: nothing of it may run into the next request.
    const explored = await gradeCode(request, check, first.code, base).then(
      (verdict) => ({ verdict }),
      (error: unknown) => ({ error }),
    );
    // A type error is the verdict, as when the type check came first, even when exploring threw.
    const compiled = await compilation.done;
    if (compiled.code === null) return compileError(base(), compiled.diagnostics);
    if ('error' in explored) throw explored.error;
    // The transpiled code is the type-checked code; should they ever differ, grade what type-checked.
    return compiled.code === first.code
      ? explored.verdict
      : await gradeCode(request, check, compiled.code, base);
  } finally {
    clearInterval(heartbeat);
  }
}

/** Explore (or replay) compiled code; a machine that lacks what the check needs is a verdict too. */
async function gradeCode(
  request: GradeRequest,
  check: Check,
  code: string,
  base: () => { id: string; durationMs: number },
): Promise<Verdict> {
  try {
    if (check.threads) return await onThreads(request, check, check.threads, code, base);
    return await explored(request, check, moduleFactory<Record<string, unknown>>(code, request.file), base);
  } catch (error) {
    if (!isUserError(error)) throw error;
    return cannotGrade(base(), error.hint ? `${error.message} — ${error.hint}` : error.message);
  }
}

async function explored(
  request: GradeRequest,
  check: Check,
  instantiate: () => Record<string, unknown>,
  base: () => { id: string; durationMs: number },
): Promise<Verdict> {
  if (request.replay !== undefined) return replayed(request.replay, check, instantiate, base);
  const budget = { ...DEFAULT_BUDGET, ...check.budget };
  const exploration = await exploreWorkloads(check.workloads, (w) => check.scenario(w), instantiate, budget);
  if (!exploration.failure) return passed(base(), exploration.coverage);
  const { workload, found } = exploration.failure;
  // Run the shrunk schedule once more to show what the learner's console.log printed in it.
  const again = await withOutput(() =>
    runSchedule(check.scenario(workload), instantiate, follow(found.run.labels)),
  );
  const verdict = failed(base(), check, workload, found, exploration.coverage);
  return { ...verdict, output: again.output };
}

/**
 * `count` worker threads running the learner's compiled module over the check's shared arrays, and
 * a factory that resets them for each schedule (the explorer's fresh module instance); or why
 * they could not start.
 */
async function openThreads(
  code: string,
  filename: string,
  spec: ThreadsSpec,
  count: number,
): Promise<{ threads: Threads; instantiate: () => Record<string, unknown> } | string> {
  try {
    const threads = await Threads.open({ code, filename, arrays: spec.arrays, threads: count });
    const instantiate = () => {
      threads.reset();
      return threads as unknown as Record<string, unknown>;
    };
    return { threads, instantiate };
  } catch (error) {
    return `worker threads could not start here (${errorMessage(error)}): run racelings doctor`;
  }
}

/**
 * The workers tier: the learner's module on worker threads. The explorer runs it step by step
 * (the only source of a pass); then the stress layer runs it on real cores, to fail what the
 * explorer passed if real hardware breaks it, and to show in numbers what a bug the explorer found
 * does there. Every thread is stopped when the check ends, even one spinning in learner code.
 */
async function onThreads(
  request: GradeRequest,
  check: Check,
  spec: ThreadsSpec,
  code: string,
  base: () => { id: string; durationMs: number },
): Promise<Verdict> {
  const opened = await openThreads(code, request.file, spec, Math.max(spec.threads, stressWorkers()));
  if (typeof opened === 'string') return cannotGrade(base(), opened);
  const { threads, instantiate } = opened;
  try {
    if (request.replay !== undefined) return await replayed(request.replay, check, instantiate, base);
    const budget = { ...DEFAULT_BUDGET, ...check.budget };
    const exploration = await exploreWorkloads(
      check.workloads,
      (w) => check.scenario(w),
      instantiate,
      budget,
    );
    if (exploration.failure) {
      const { workload, found } = exploration.failure;
      // A thread that hangs or spins on real cores would only hang the stress run too.
      const report = found.failure.kind === 'invariant' ? await stress(threads, spec.stress) : null;
      const verdict = failed(base(), check, workload, found, exploration.coverage);
      return report ? { ...verdict, notes: [...verdict.notes, stressNote(report)] } : verdict;
    }
    const report = await stress(threads, spec.stress);
    if (report.anomaly) return stressFailed(base(), exploration.coverage, report);
    return threadsPassed(base(), exploration.coverage, report);
  } finally {
    await threads.close();
  }
}

/** Run exactly the schedule a token names; a token that is not one of this check's is refused, never passed. */
async function replayed(
  token: string,
  check: Check,
  instantiate: () => Record<string, unknown>,
  base: () => { id: string; durationMs: number },
): Promise<Verdict> {
  const point = decodeReplay(token);
  const notOurs = (why: string) =>
    cannotGrade(
      base(),
      `this token is not a schedule of ${check.exercise}: ${why} (run 'racelings check ${check.exercise}' for a fresh search)`,
    );
  if (!point) return notOurs('it is not a replay token of this version of racelings');
  if (point.exercise !== check.exercise) return notOurs(`it replays '${point.exercise}'`);
  if (point.version !== check.version) return notOurs('it was made by another version of the check');
  const workload = check.workloads.parse(point.workload);
  if (workload === null) return notOurs('its workload is not one this check runs');
  const scenario = check.scenario(workload);
  let run: Awaited<ReturnType<typeof withOutput<Awaited<ReturnType<typeof runSchedule>>>>>;
  try {
    run = await withOutput(() => runSchedule(scenario, instantiate, strictly(point.labels)));
  } catch (error) {
    if (error instanceof ScheduleMismatch) {
      return cannotGrade(
        base(),
        `the schedule of this token does not fit ${check.exercise} as your code is now (${error.message}): run 'racelings check ${check.exercise}' for a fresh search`,
      );
    }
    throw error;
  }
  if (!run.value.failure) return replayPassed(base(), scenario.name);
  const verdict = failed(base(), check, workload, { run: run.value, failure: run.value.failure }, null);
  return { ...verdict, output: run.output };
}

async function withOutput<T>(fn: () => Promise<T>): Promise<{ value: T; output: string[] }> {
  LearnerConsole.lines = [];
  try {
    const value = await fn();
    return { value, output: LearnerConsole.lines.slice(0, 200) };
  } finally {
    LearnerConsole.lines = null;
  }
}

/**
 * Answer one request with a verdict (an error of the grader itself becomes a verdict too); on
 * `close`, release the services used (drop the databases made on a DATABASE_URL server, stop any
 * embedded one), then exit.
 */
export function serve(request: ParentMessage): void {
  if (request.type === 'close') {
    void releaseAll().finally(() => exit(0));
    return;
  }
  if (request.type === 'compiled') {
    receiveCompiled(request);
    return;
  }
  if (request.type === 'play') {
    void servePlay(request);
    return;
  }
  grade(request)
    .then(
      (verdict) => send({ type: 'verdict', requestId: request.requestId, verdict }),
      (error: unknown) =>
        send({
          type: 'verdict',
          requestId: request.requestId,
          verdict: contained(
            { id: request.exercise, durationMs: 0 },
            `the grader failed: ${errorMessage(error)}`,
          ),
        }),
    )
    .finally(() => answered(request.requestId));
}

/** The learner's file compiled for play, or what stops it (a missing check, a compile error). */
async function playable(request: PlayRequest): Promise<Playable | string> {
  let source: string;
  try {
    source = await readFile(request.file, 'utf8');
  } catch (error) {
    return `cannot read ${request.shownAs}: ${errorMessage(error)} (run 'racelings reset ${request.exercise}')`;
  }
  // Loaded here: a grading has its file compiled by the parent (see grader/offered.ts).
  const { compileLearnerFile } = await import('../sandbox/compile.js');
  const compiled = compileLearnerFile(request.file, source, request.shownAs);
  if (compiled.code === null) {
    const more = compiled.diagnostics.length > 1 ? ` (+${compiled.diagnostics.length - 1} more)` : '';
    return `${request.shownAs} does not compile: ${compiled.diagnostics[0]}${more} — fix it, then play`;
  }
  return {
    file: request.file,
    source,
    code: compiled.code,
    instantiate: moduleFactory<Record<string, unknown>>(compiled.code, request.file),
  };
}

/** A play request: the position after its moves, or what the explorer knows of its workload. */
async function servePlay(request: PlayRequest): Promise<void> {
  const check = await loadCheck(request.exercise).catch(() => undefined);
  const workload = {
    index: request.workload,
    count: check?.workloads.examples.length ?? 0,
    text: check?.workloads.examples[request.workload]
      ? check.workloads.describe(check.workloads.examples[request.workload])
      : '',
  };
  const { requestId } = request;
  /** What the request answers when `problem` stops it: a position that says so, or nothing known. */
  const refused = (problem: string): GraderMessage =>
    request.ask === 'position'
      ? { type: 'position', requestId, position: unplayable(request.exercise, workload, '', problem) }
      : { type: 'known', requestId, known: nothingKnown(problem) };
  let heartbeat: NodeJS.Timeout | undefined;
  const answer = async (): Promise<GraderMessage> => {
    if (!check || workload.text === '') {
      return refused(
        check
          ? `${request.exercise} has no workload ${request.workload + 1}`
          : `this installation has no check for '${request.exercise}': reinstall racelings`,
      );
    }
    const ready = await playable(request);
    if (typeof ready === 'string') return refused(ready);
    // Compiled (the slow, synchronous part): from here on, learner code that spins stops the heartbeat.
    send({ type: 'exploring', requestId, typeChecked: true });
    heartbeat = setInterval(() => send({ type: 'heartbeat', requestId }), HEARTBEAT_MS);
    // The workers tier runs the module on worker threads, stepped by the explorer as in a grading.
    let threads: Threads | null = null;
    if (check.threads) {
      const opened = await openThreads(ready.code, request.file, check.threads, check.threads.threads);
      if (typeof opened === 'string') return refused(opened);
      ({ threads, instantiate: ready.instantiate } = opened);
    }
    try {
      if (request.ask === 'explore') {
        return { type: 'known', requestId, known: await exploreWorkload(check, request.workload, ready) };
      }
      if (request.ask === 'lead') {
        return {
          type: 'known',
          requestId,
          known: await leadFrom(check, request.workload, request.moves, ready),
        };
      }
      return {
        type: 'position',
        requestId,
        position: await playPosition(check, request.workload, request.moves, ready),
      };
    } finally {
      await threads?.close();
    }
  };
  answer()
    .catch((error: unknown) => refused(`the grader failed: ${errorMessage(error)}`))
    .then((message) => {
      clearInterval(heartbeat);
      send(message);
    });
}

// Taken before containStrays turns process.exit into a failure of the learner's run.
const exit = process.exit.bind(process);
containStrays();
closeBuiltinModules();
// The parent must not take the servers kept here for processes left behind by learner code.
onServicesChange((pids) => send({ type: 'services', pids }));
