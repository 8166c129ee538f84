/**
 * What the grader process does with a request: compile the learner's file and explore it (or
 * replay one schedule of it). Loaded by child.ts once the process is set to die with its parent.
 */
import { readFile } from 'node:fs/promises';
import type { Check } from '../checks/check.js';
import { CHECKS } from '../checks/index.js';
import { isUserError } from '../errors.js';
import { DEFAULT_BUDGET } from '../explorer/explorer.js';
import { decodeReplay } from '../explorer/replay.js';
import { follow, runSchedule, ScheduleMismatch, strictly } from '../explorer/run.js';
import { exploreWorkloads } from '../explorer/workloads.js';
import { compileLearnerFile, LearnerConsole, moduleFactory } from '../sandbox/learner-module.js';
import { containStrays } from '../sandbox/strays.js';
import type { GradeRequest, GraderMessage } from './protocol.js';
import type { Verdict } from './verdict.js';
import {
  cannotGrade,
  compileError,
  contained,
  errorMessage,
  failed,
  passed,
  replayPassed,
} from './verdicts.js';

const HEARTBEAT_MS = 250;

function send(message: GraderMessage): void {
  process.send?.(message);
}

async function grade(request: GradeRequest): Promise<Verdict> {
  const started = performance.now();
  const base = () => ({ id: request.exercise, durationMs: performance.now() - started });
  const check = CHECKS[request.exercise];
  if (!check)
    return cannotGrade(
      base(),
      `this installation has no check for '${request.exercise}': reinstall racelings`,
    );
  let source: string;
  try {
    source = await readFile(request.file, 'utf8');
  } catch (error) {
    return contained(
      base(),
      `cannot read ${request.shownAs}: ${errorMessage(error)} (run 'racelings reset ${request.exercise}')`,
    );
  }
  const compiled = compileLearnerFile(request.file, source, request.shownAs);
  if (compiled.code === null) return compileError(base(), compiled.diagnostics);
  const instantiate = moduleFactory<Record<string, unknown>>(compiled.code, request.file);
  send({ type: 'exploring', requestId: request.requestId });
  // Timers fire only while the event loop turns: learner code that spins stops the heartbeat.
  const heartbeat = setInterval(
    () => send({ type: 'heartbeat', requestId: request.requestId }),
    HEARTBEAT_MS,
  );
  try {
    return await explored(request, check, instantiate, base);
  } catch (error) {
    if (!isUserError(error)) throw error;
    return cannotGrade(base(), error.hint ? `${error.message} — ${error.hint}` : error.message);
  } finally {
    clearInterval(heartbeat);
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

/** Answer one request with a verdict; an error of the grader itself becomes a verdict too. */
export function serve(request: GradeRequest): void {
  grade(request).then(
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
  );
}

containStrays();
