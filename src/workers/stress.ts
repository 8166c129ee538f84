import { availableParallelism } from 'node:os';
import { thousands } from '../explorer/format.js';
import type { StressOutcome, Threads } from './threads.js';

/**
 * What a stress driver gets on each thread. The driver runs there at full speed, calling the
 * learner's exports on the real shared memory, alongside the other threads.
 */
export interface StressContext {
  /** The learner's exports, a fresh instance for this run. */
  mod: Record<string, (...args: never[]) => unknown>;
  /** The check's shared arrays. */
  arrays: Record<string, Int32Array>;
  /** Memory the drivers share and the learner's code never sees; words 0–15 are the runner's. */
  scratch: Int32Array;
  /** This thread's number, and how many run. */
  worker: number;
  workers: number;
  /** How many calls this thread should make. */
  iterations: number;
  /** Seeded per thread. */
  random(): number;
  /** Wait until every thread has arrived here, then go on together (the point is to overlap). */
  barrier(): void;
  /** Mark the start and end of one call whose accesses of the watched words are timed (see StressSpec.watch). */
  begin(): void;
  end(): void;
  /** Count an anomaly the driver saw itself ("a node handed out twice"). */
  seen(what: string, times?: number): void;
}

/** What the stress layer judged, in words. */
export interface StressJudgement {
  /** The work done, as a pass names it: "400,000 increments". */
  size: string;
  /** What went wrong, in numbers ("lost 1,832 of 400,000 increments"), or null when nothing did. */
  anomaly: string | null;
}

/** The stress layer of one check. */
export interface StressSpec {
  /**
   * The driver each thread runs. It is sent to the threads as source text, so it must be a
   * self-contained arrow function: no imports, nothing captured.
   */
  driver: (ctx: StressContext) => unknown;
  /** Calls per thread. */
  iterations: number;
  /** Words whose accesses are timed to count overlapping critical sections: `array[from … to-1]`. */
  watch?: { array: string; from: number; to: number };
  initial: Record<string, number[]>;
  /** Read the outcome (and the memory, or call the learner's code on a finished thread) and judge it. */
  judge(outcome: StressOutcome, threads: Threads): StressJudgement;
}

export interface StressReport extends StressJudgement {
  workers: number;
  cores: number;
  /** Some thread did not finish in time and was stopped: the run says less than it meant to. */
  cut: boolean;
  ms: number;
}

/** How long the stress layer may run before its threads are stopped. */
export const STRESS_TIMEOUT_MS = 2000;

/** Cores on this machine, as the stress layer reports them. */
export function cores(): number {
  return availableParallelism();
}

/** As many threads as the machine has cores: at least 2 (one core still interleaves them), at most 8. */
export function stressWorkers(): number {
  return Math.min(8, Math.max(2, cores()));
}

/**
 * Run the learner's code on real cores: every thread runs the driver at once over freshly
 * initialised memory, bounded in time; then the check judges what happened. Real parallelism can
 * show a bug but never prove a fix: a judgement without anomaly says only that this run saw none.
 */
export async function stress(
  threads: Threads,
  spec: StressSpec,
  timeoutMs = STRESS_TIMEOUT_MS,
): Promise<StressReport> {
  const workers = Math.min(stressWorkers(), threads.size);
  const outcome = await threads.stress({
    driver: String(spec.driver),
    workers,
    iterations: spec.iterations,
    watch: spec.watch,
    initial: spec.initial,
    timeoutMs,
  });
  const cut = outcome.finished < workers && !outcome.error;
  // Threads still running were stopped mid-call: the memory they left proves nothing either way.
  const judged: StressJudgement = outcome.error
    ? { size: '', anomaly: `the code threw on a real thread: ${outcome.error}` }
    : cut
      ? { size: '', anomaly: null }
      : spec.judge(outcome, threads);
  return { ...judged, workers, cores: cores(), cut, ms: outcome.ms };
}

const n = thousands;

/** "2 threads × 200,000 increments on 2 cores". */
export function describeStress(report: StressReport, perThread: number, what: string): string {
  return `${report.workers} threads × ${n(perThread)} ${what} on ${report.cores} core${report.cores === 1 ? '' : 's'}`;
}
