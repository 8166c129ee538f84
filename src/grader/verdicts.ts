import type { Coverage, Found } from '../explorer/explorer.js';
import { formatValue } from '../explorer/format.js';
import { encodeReplay } from '../explorer/replay.js';
import type { FailureKind } from '../explorer/run.js';
import { BACKGROUND } from '../explorer/world.js';
import type { Step, Verdict } from './verdict.js';

const KIND: Record<FailureKind, string> = {
  invariant: 'invariant broken',
  deadlock: 'deadlock',
  leak: 'lock leak',
  stuck: 'stuck',
  stray: 'uncontrolled async work',
  steps: 'never finished',
  import: 'module failed to load',
};

const count = (n: number) => n.toLocaleString('en-US');

/** What was explored, in words: "all 924 schedules" or the bound and the random ones. */
export function describeCoverage(coverage: Coverage, scenarios: number): string {
  const of = `${scenarios} scenario${scenarios === 1 ? '' : 's'}`;
  if (coverage.exhaustive) return `all ${count(coverage.schedules)} schedules of ${of}`;
  const searched = coverage.schedules - coverage.random;
  const bound = Math.max(coverage.bound, 0);
  return `every schedule with at most ${bound} preemption${bound === 1 ? '' : 's'} (${count(searched)}) + ${count(coverage.random)} random, ${of}`;
}

interface Base {
  id: string;
  durationMs: number;
}

function verdict(base: Base, fields: Partial<Verdict> & Pick<Verdict, 'passed' | 'reason'>): Verdict {
  return {
    id: base.id,
    invariant: null,
    schedule: [],
    tasks: [],
    replay: null,
    explored: 'nothing',
    workload: null,
    notes: [],
    diagnostics: [],
    output: [],
    setupProblem: null,
    durationMs: Math.round(base.durationMs),
    ...fields,
  };
}

export function passed(base: Base, coverage: Coverage, scenarios: number): Verdict {
  const explored = describeCoverage(coverage, scenarios);
  return verdict(base, { passed: true, reason: `every invariant held in ${explored}`, explored });
}

export function failed(base: Base, found: Found, scenarioName: string, coverage: Coverage | null): Verdict {
  const { run, failure } = found;
  const background = run.events.some((event) => event.task === BACKGROUND);
  const tasks = [...run.taskLabels, ...(background ? ['background'] : [])];
  const column = (task: number) =>
    task === BACKGROUND ? 'background' : (run.taskLabels[task]?.split(' ')[0] ?? `t${task + 1}`);
  const schedule: Step[] = run.events.map((event) => ({
    task: column(event.task),
    op: event.op,
    args: event.args,
    result: event.result,
  }));
  const where = `${schedule.length} steps, ${run.switches} switch${run.switches === 1 ? '' : 'es'}`;
  const explored = coverage
    ? `failed after ${count(coverage.schedules)} schedule${coverage.schedules === 1 ? '' : 's'}; shrunk to ${where}`
    : `replayed one schedule (${where})`;
  const isRun = failure.kind !== 'import';
  return verdict(base, {
    passed: false,
    reason: `${KIND[failure.kind]} in "${scenarioName}": ${failure.message}`,
    invariant: isRun ? failure.message : null,
    schedule: isRun ? schedule : [],
    tasks: isRun ? tasks : [],
    replay: isRun ? encodeReplay({ exercise: base.id, scenario: found.scenario, labels: run.labels }) : null,
    explored,
  });
}

export function replayPassed(base: Base, scenarioName: string): Verdict {
  return verdict(base, {
    passed: true,
    reason: `the replayed schedule of "${scenarioName}" now keeps every invariant (run 'racelings check ${base.id}' for the whole search)`,
    explored: 'replayed one schedule',
  });
}

export function compileError(base: Base, diagnostics: string[]): Verdict {
  const more = diagnostics.length > 1 ? ` (+${diagnostics.length - 1} more)` : '';
  return verdict(base, { passed: false, reason: `does not compile: ${diagnostics[0]}${more}`, diagnostics });
}

/** The learner's code did something that ended or froze the grader itself. */
/** Grading could not run here: the reason says what is missing and what to do. */
export function cannotGrade(base: Base, problem: string): Verdict {
  return verdict(base, { passed: false, reason: `cannot grade here: ${problem}`, setupProblem: problem });
}

export function contained(base: Base, reason: string): Verdict {
  return verdict(base, { passed: false, reason });
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : formatValue(error);
}
