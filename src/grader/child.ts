/**
 * The grader process: compiles the learner's file and explores it. It runs learner code, so the
 * parent can kill it (and its whole process group) at any time; it dies with its parent (entry.ts).
 */
import { readFile } from 'node:fs/promises';
import type { Check } from '../checks/check.js';
import { CHECKS } from '../checks/index.js';
import { isUserError } from '../errors.js';
import { DEFAULT_BUDGET, explore } from '../explorer/explorer.js';
import { decodeReplay } from '../explorer/replay.js';
import { follow, runSchedule } from '../explorer/run.js';
import { releasePostgres } from '../postgres/server.js';
import { onServicesChange } from '../processes/services.js';
import {
  closeBuiltinModules,
  compileLearnerFile,
  LearnerConsole,
  moduleFactory,
} from '../sandbox/learner-module.js';
import { containStrays } from '../sandbox/strays.js';
import type { GradeRequest, GraderMessage, ParentMessage } from './protocol.js';
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
  if (!check) return contained(base(), `no hidden check for '${request.exercise}' in this installation`);
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
  if (request.replay !== undefined) {
    const point = decodeReplay(request.replay)!;
    const scenario = check.scenarios[point.scenario]!;
    const run = await withOutput(() => runSchedule(scenario, instantiate, follow(point.labels)));
    if (!run.value.failure) return replayPassed(base(), scenario.name);
    const verdict = failed(
      base(),
      { scenario: point.scenario, run: run.value, failure: run.value.failure },
      scenario.name,
      null,
    );
    return { ...verdict, output: run.output };
  }

  const exploration = await explore(check.scenarios, instantiate, { ...DEFAULT_BUDGET, ...check.budget });
  if (!exploration.found) return passed(base(), exploration.coverage, check.scenarios.length);
  const { found } = exploration;
  const scenario = check.scenarios[found.scenario]!;
  // Run the shrunk schedule once more to show what the learner's console.log printed in it.
  const again = await withOutput(() => runSchedule(scenario, instantiate, follow(found.run.labels)));
  const verdict = failed(base(), found, scenario.name, exploration.coverage);
  return { ...verdict, output: again.output };
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

// Taken before containStrays turns process.exit into a failure of the learner's run.
const exit = process.exit.bind(process);
containStrays();
closeBuiltinModules();
// The parent must not take the servers kept here for processes left behind by learner code.
onServicesChange((pids) => send({ type: 'services', pids }));
process.on('message', (request: ParentMessage) => {
  if (request.type === 'close') {
    void releasePostgres().finally(() => exit(0));
    return;
  }
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
});
