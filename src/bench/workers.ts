import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CHECKS } from '../checks/index.js';
import { DEFAULT_BUDGET } from '../explorer/explorer.js';
import { exploreWorkloads } from '../explorer/workloads.js';
import { compileLearnerFile } from '../sandbox/compile.js';
import { stress, stressWorkers } from '../workers/stress.js';
import { Threads } from '../workers/threads.js';

/** One grade of a workers exercise as the grader runs it (compile excluded): wall and CPU time, ms. */
export interface WorkersRow {
  exercise: string;
  file: string;
  passed: boolean;
  schedules: number;
  /** Starting the threads, exploring, stressing, stopping: wall ms, and CPU ms of every thread of the process. */
  wallMs: number;
  cpuMs: number;
  stressMs: number;
  anomaly: string | null;
}

function compiled(file: string): string {
  const out = compileLearnerFile(file, readFileSync(file, 'utf8'), path.basename(file));
  if (!out.code) throw new Error(`${file} does not compile: ${out.diagnostics[0]}`);
  return out.code;
}

function opened(exercise: string, file: string, code: string): Promise<Threads> {
  const check = CHECKS[exercise]!;
  return Threads.open({
    code,
    filename: file,
    arrays: check.threads!.arrays,
    threads: Math.max(check.threads!.threads, stressWorkers()),
  });
}

/** A grade of `file`: the explorer, then (on a pass, or beside an invariant broken) the stress layer. */
export async function benchWorkersGrade(exercise: string, file: string): Promise<WorkersRow> {
  const check = CHECKS[exercise]!;
  const code = compiled(file);
  const cpu = process.cpuUsage();
  const started = performance.now();
  const threads = await opened(exercise, file, code);
  try {
    const instantiate = () => {
      threads.reset();
      return threads as never;
    };
    const exploration = await exploreWorkloads(check.workloads, (w) => check.scenario(w), instantiate, {
      ...DEFAULT_BUDGET,
      ...check.budget,
    });
    const stressStarted = performance.now();
    const kind = exploration.failure?.found.failure.kind;
    const report =
      kind === undefined || kind === 'invariant' ? await stress(threads, check.threads!.stress) : null;
    const stressMs = performance.now() - stressStarted;
    await threads.close();
    const used = process.cpuUsage(cpu);
    return {
      exercise,
      file,
      passed: exploration.failure === null && !report?.anomaly,
      schedules: exploration.coverage.schedules,
      wallMs: performance.now() - started,
      cpuMs: (used.user + used.system) / 1000,
      stressMs,
      anomaly: report?.anomaly ?? null,
    };
  } finally {
    await threads.close();
  }
}

/** The stress layer alone on `file` (threads already started): how long until it reports, and what. */
export async function benchStressAlone(
  exercise: string,
  file: string,
): Promise<{ ms: number; anomaly: string | null }> {
  const threads = await opened(exercise, file, compiled(file));
  try {
    const started = performance.now();
    const report = await stress(threads, CHECKS[exercise]!.threads!.stress);
    return { ms: performance.now() - started, anomaly: report.anomaly };
  } finally {
    await threads.close();
  }
}
