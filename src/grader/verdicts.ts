import type { Check } from '../checks/check.js';
import type { Found } from '../explorer/explorer.js';
import type { FailureKind } from '../explorer/failure.js';
import { thousands } from '../explorer/format.js';
import { encodeReplay } from '../explorer/replay.js';
import type { Run } from '../explorer/run.js';
import { type CheckCoverage, describeCoverage } from '../explorer/workloads.js';
import { BACKGROUND } from '../explorer/world.js';
import type { StressReport } from '../workers/stress.js';
import { type Base, type Step, type Verdict, verdict } from './verdict.js';

const KIND: Record<FailureKind, string> = {
  invariant: 'invariant broken',
  deadlock: 'deadlock',
  leak: 'lock leak',
  stuck: 'stuck',
  stray: 'uncontrolled async work',
  steps: 'never finished',
  livelock: 'livelock',
  import: 'module failed to load',
};

const count = thousands;

/** Remarks on a pass: what polling cost, and which workloads a bounded search covered only in part. */
function passNotes(coverage: CheckCoverage): string[] {
  const notes: string[] = [];
  if (coverage.polls > 0) {
    notes.push(
      `polling: one schedule of "${coverage.pollsIn}" repeated an operation with the same answer ${count(coverage.polls)} times — it passes, but await a promise instead of polling`,
    );
  }
  // Which workloads were proven and which only searched: name the shorter side.
  if (coverage.exhaustive > 0 && coverage.cutNames.length > 0) {
    notes.push(
      coverage.cutNames.length < coverage.exhaustiveNames.length
        ? `search cut at its budget in: ${coverage.cutNames.join(' | ')}`
        : `explored exhaustively: ${coverage.exhaustiveNames.join(' | ')}`,
    );
  }
  return notes;
}

export function passed(base: Base, coverage: CheckCoverage): Verdict {
  const explored = describeCoverage(coverage);
  return verdict(base, {
    passed: true,
    reason: `every invariant held in ${explored}`,
    explored,
    notes: passNotes(coverage),
  });
}

/** The stress layer's run, as a verdict says it: "2 threads on 2 cores". */
const onCores = (r: StressReport) => `${r.workers} threads on ${r.cores} core${r.cores === 1 ? '' : 's'}`;

/**
 * A pass of the workers tier: every explored interleaving kept the invariants (the only source of
 * a pass) and the stress run on real cores saw no anomaly either.
 */
export function threadsPassed(base: Base, coverage: CheckCoverage, report: StressReport): Verdict {
  const stress = report.cut
    ? `stress on ${onCores(report)} cut short after ${count(Math.round(report.ms))} ms (a thread had not finished)`
    : `stress ${report.size} on ${onCores(report)}, no anomaly`;
  const explored = `${describeCoverage(coverage)} + ${stress}`;
  return verdict(base, {
    passed: true,
    reason: `every invariant held in ${explored}`,
    explored,
    // A retry loop or a woken waiter repeats its operation by design: the checks judge spinning themselves.
    notes: passNotes({ ...coverage, polls: 0 }),
  });
}

/** Every explored interleaving passed, yet real cores broke an invariant: the code escapes the checker's steps. */
export function stressFailed(base: Base, coverage: CheckCoverage, report: StressReport): Verdict {
  const anomaly = `on real cores (${onCores(report)}), ${report.anomaly}`;
  return verdict(base, {
    passed: false,
    reason: `invariant broken ${anomaly} — though every explored interleaving kept it: something in the code touches the shared memory in a way the checker's steps do not see`,
    invariant: anomaly,
    explored: `${describeCoverage(coverage)}, then stress ${report.size}: failed`,
  });
}

/** Beside a failure the explorer found: what the same code did on real cores. */
export function stressNote(report: StressReport): string {
  if (report.cut)
    return `on real cores (${onCores(report)}): a thread had not finished after ${count(Math.round(report.ms))} ms`;
  if (report.anomaly) return `on real cores (${onCores(report)}): ${report.anomaly}`;
  return `on real cores (${onCores(report)}): ${report.size} showed nothing wrong — real parallelism rarely hits this schedule; the explorer found it`;
}

/** A run's events as a verdict's steps, and its columns (the callers, then background work if any ran). */
export function stepsOf(run: Pick<Run, 'events' | 'taskLabels'>): { schedule: Step[]; tasks: string[] } {
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
  return { schedule, tasks };
}

export function failed<W>(
  base: Base,
  check: Check<W>,
  workload: W,
  found: Found,
  coverage: CheckCoverage | null,
): Verdict {
  const { run, failure } = found;
  const scenarioName = check.workloads.describe(workload);
  const { schedule, tasks } = stepsOf(run);
  const where = `${schedule.length} steps, ${run.switches} switch${run.switches === 1 ? '' : 'es'}`;
  const explored = coverage
    ? `failed in workload ${count(coverage.workloads)} after ${count(coverage.schedules)} schedule${coverage.schedules === 1 ? '' : 's'}; shrunk to ${where}`
    : `replayed one schedule (${where})`;
  const isRun = failure.kind !== 'import';
  return verdict(base, {
    passed: false,
    // The workload has its own field and line; the reason says only what broke.
    reason: `${KIND[failure.kind]}: ${failure.message}`,
    workload: scenarioName,
    invariant: isRun ? failure.message : null,
    schedule: isRun ? schedule : [],
    tasks: isRun ? tasks : [],
    replay: isRun
      ? encodeReplay({ exercise: check.exercise, version: check.version, workload, labels: run.labels })
      : null,
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
