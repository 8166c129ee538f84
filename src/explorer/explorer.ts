import { mulberry32 } from '../random.js';
import { dpor } from './dpor.js';
import type { Failure } from './failure.js';
import { type Chooser, follow, type Run, runSchedule } from './run.js';
import { type Label, labelKey, labelTask, type Scenario } from './scenario.js';
import { shrink } from './shrink.js';

/** How much one workload may cost, in schedules run (each a fraction of a millisecond in memory). */
export interface Budget {
  /** Most schedules the reduced exhaustive search (DPOR) may run before giving up on completeness. */
  maxSchedules: number;
  /**
   * Without reduction (the bench's comparison): most schedules of the search by preemption bound.
   * With reduction, a search cut short goes on with random schedules instead.
   */
  boundedSchedules: number;
  /** Seeded random (PCT-style) schedules, when the search was cut short. */
  random: number;
  seed: number;
}

export const DEFAULT_BUDGET: Budget = { maxSchedules: 200, boundedSchedules: 300, random: 20, seed: 1 };

/** What was explored of one workload. */
export interface Coverage {
  /** Schedules run, abandoned ones (every choice left asleep) included. */
  schedules: number;
  /** Distinct interleavings (Mazurkiewicz traces) run to the end, when the reduced search finished. */
  interleavings: number;
  /** Every interleaving was explored: no bound cut anything off. */
  exhaustive: boolean;
  /** Without reduction: the preemption bound every schedule within was explored to (when not exhaustive). */
  bound: number;
  random: number;
  /** The most polls (an operation repeated with the same answer) one schedule spent. */
  polls: number;
  /** Some callers were interchangeable (TaskSpec.alike) and arrived in one order only. */
  alike: boolean;
}

export interface Found {
  run: Run;
  failure: Failure;
}

export interface Exploration {
  found: Found | null;
  coverage: Coverage;
}

export interface ExploreOptions {
  /** Turn the partial-order reduction off (for the bench's comparison): every schedule by preemptions. */
  reduction?: boolean;
  /**
   * Let interchangeable callers (TaskSpec.alike) arrive in index order only (on with the reduction
   * by default; the bench turns it off to show DPOR alone).
   */
  symmetry?: boolean;
  /** Shrink a failure to its shortest schedule (on by default). */
  shrink?: boolean;
  /** Told of every schedule run (for tests and the bench). */
  onRun?: (run: Run) => void;
}

/**
 * Explore one workload: its witness schedules, then every distinct interleaving (DPOR with sleep
 * sets); when that does not finish within the budget, seeded random schedules after the ones it
 * ran. A failure is shrunk to its fewest steps and switches.
 */
export async function explore<M>(
  scenario: Scenario<M>,
  instantiate: () => M,
  budget: Budget = DEFAULT_BUDGET,
  options: ExploreOptions = {},
): Promise<Exploration> {
  const coverage: Coverage = {
    schedules: 0,
    interleavings: 0,
    exhaustive: false,
    bound: -1,
    random: 0,
    polls: 0,
    alike: false,
  };
  const symmetry = options.symmetry ?? options.reduction !== false;
  const attempt = async (choose: Chooser, variants = false): Promise<Run> => {
    coverage.schedules++;
    const run = await runSchedule(scenario, instantiate, choose, { variants, symmetry });
    if (run.twinBefore.some((twin) => twin !== undefined)) coverage.alike = true;
    options.onRun?.(run);
    if (!run.abandoned) coverage.polls = Math.max(coverage.polls, run.polls);
    return run;
  };
  const minimal = async (run: Run): Promise<Exploration> => {
    const found = { run, failure: run.failure! };
    return { found: options.shrink === false ? found : await shrink(scenario, instantiate, found), coverage };
  };

  for (const witness of scenario.witnesses ?? []) {
    const run = await attempt(follow(witness));
    if (run.failure) return minimal(run);
  }
  if (options.reduction !== false) {
    const reduced = await dpor(budget.maxSchedules, attempt);
    coverage.interleavings = reduced.interleavings;
    if (reduced.found) return minimal(reduced.found);
    if (reduced.complete) {
      coverage.exhaustive = true;
      return { found: null, coverage };
    }
  } else {
    const bounded = await boundedSearch(budget.boundedSchedules, attempt);
    if (bounded.found) return minimal(bounded.found);
    coverage.bound = bounded.bound;
    coverage.interleavings = bounded.runs;
    if (bounded.complete) {
      coverage.exhaustive = true;
      return { found: null, coverage };
    }
  }
  for (let i = 0; i < budget.random; i++) {
    coverage.random++;
    const run = await attempt(pct(budget.seed * 7919 + i), true);
    if (run.failure) return minimal(run);
  }
  return { found: null, coverage };
}

interface SearchResult {
  found: Run | null;
  /** Every schedule was run. */
  complete: boolean;
  /** Every schedule with at most this many preemptions was run. */
  bound: number;
  runs: number;
}

/**
 * Stateless depth-first search by preemption count, without reduction: every schedule with 0
 * preemptions, then 1, and so on until the budget runs out (Musuvathi and Qadeer, "Iterative
 * context bounding", PLDI 2007). Newcomers may arrive at every hop of every turn.
 */
async function boundedSearch(
  maxSchedules: number,
  attempt: (choose: Chooser, variants?: boolean) => Promise<Run>,
): Promise<SearchResult> {
  const buckets: Label[][][] = [[[]]];
  let runs = 0;
  for (let bound = 0; bound < buckets.length; bound++) {
    const stack = buckets[bound] ?? [];
    while (stack.length > 0) {
      if (runs >= maxSchedules) return { found: null, complete: false, bound: bound - 1, runs };
      const prefix = stack.pop()!;
      const run = await attempt(follow(prefix), true);
      runs++;
      if (run.failure) return { found: run, complete: false, bound, runs };
      for (let step = run.labels.length - 1; step >= prefix.length; step--) {
        for (const alt of run.alternatives[step]!.slice().reverse()) {
          if (labelKey(alt.label) === labelKey(run.labels[step]!)) continue;
          const cost = run.spent[step]! + alt.preempts;
          const next = [...run.labels.slice(0, step), alt.label];
          const bucket = buckets[cost] ?? [];
          buckets[cost] = bucket;
          bucket.push(next);
        }
      }
    }
  }
  return { found: null, complete: true, bound: buckets.length - 1, runs };
}

/**
 * Probabilistic concurrency testing: random task priorities, a few random points where the running
 * task drops to the lowest priority, and sometimes an injected failure or a newcomer in the turn
 * (Burckhardt, Kothari, Musuvathi and Nagarakatte, "A randomized scheduler with probabilistic
 * guarantees of finding bugs", ASPLOS 2010).
 */
function pct(seed: number): Chooser {
  const random = mulberry32(seed);
  const priority = new Map<number, number>();
  const changes = new Set([Math.floor(random() * 24), Math.floor(random() * 24)]);
  let lowest = 0;
  return (step, available) => {
    const rank = (task: number) => {
      if (!priority.has(task)) priority.set(task, random());
      return priority.get(task)!;
    };
    let best = available[0]!;
    for (const alt of available) if (rank(labelTask(alt.label)) > rank(labelTask(best.label))) best = alt;
    const top = labelTask(best.label);
    if (changes.has(step)) priority.set(top, --lowest);
    const variants = available.filter((alt) => labelTask(alt.label) === top);
    // Mostly the plain choice; now and then a failure, another operation, or a newcomer in the turn.
    if (random() < 0.75) return best.label;
    return variants[Math.floor(random() * variants.length)]!.label;
  };
}
