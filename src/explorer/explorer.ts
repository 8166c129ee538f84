import { mulberry32 } from '../random.js';
import { type Chooser, type Failure, follow, type Run, runSchedule } from './run.js';
import { type Label, labelTask, type Scenario } from './scenario.js';
import { shrink } from './shrink.js';

export interface Budget {
  /** Most schedules the search may run per scenario: within it, every schedule, fewest preemptions first. */
  maxSchedules: number;
  /** Seeded random (PCT-style) schedules per scenario after the search, when it was not exhaustive. */
  random: number;
  seed: number;
}

export const DEFAULT_BUDGET: Budget = { maxSchedules: 400, random: 150, seed: 1 };

export interface Coverage {
  schedules: number;
  /** Every schedule of every scenario was run: no bound cut anything off. */
  exhaustive: boolean;
  /** The preemption bound every scenario was fully searched to (when not exhaustive). */
  bound: number;
  random: number;
}

export interface Found {
  scenario: number;
  run: Run;
  failure: Failure;
}

export interface Exploration {
  found: Found | null;
  coverage: Coverage;
}

/** Explore every scenario: witnesses, then bounded depth-first search, then random schedules. */
export async function explore<M>(
  scenarios: readonly Scenario<M>[],
  instantiate: () => M,
  budget: Budget = DEFAULT_BUDGET,
  onProgress: () => void = () => {},
): Promise<Exploration> {
  const coverage: Coverage = { schedules: 0, exhaustive: true, bound: Number.POSITIVE_INFINITY, random: 0 };
  const attempt = async (index: number, choose: Chooser): Promise<Attempt> => {
    coverage.schedules++;
    onProgress();
    const run = await runSchedule(scenarios[index]!, instantiate, choose);
    return { run, found: run.failure ? { scenario: index, run, failure: run.failure } : null };
  };
  const minimal = async (found: Found): Promise<Exploration> => ({
    found: await shrink(scenarios[found.scenario]!, instantiate, found),
    coverage,
  });

  for (const [index, scenario] of scenarios.entries()) {
    for (const witness of scenario.witnesses ?? []) {
      const { found } = await attempt(index, follow(witness));
      if (found) return minimal(found);
    }
  }
  const unfinished: number[] = [];
  for (const index of scenarios.keys()) {
    const search = await boundedSearch(index, budget, attempt);
    if (search.found) return minimal(search.found);
    if (search.complete) continue;
    unfinished.push(index);
    coverage.exhaustive = false;
    coverage.bound = Math.min(coverage.bound, search.bound);
  }
  // Random schedules only where the search could not cover every schedule.
  for (const index of unfinished) {
    for (let i = 0; i < budget.random; i++) {
      coverage.random++;
      const { found } = await attempt(index, pct(budget.seed * 7919 + index * 104_729 + i));
      if (found) return minimal(found);
    }
  }
  return { found: null, coverage };
}

interface Attempt {
  run: Run;
  found: Found | null;
}

interface SearchResult {
  found: Found | null;
  /** Every schedule was run. */
  complete: boolean;
  /** Every schedule with at most this many preemptions was run. */
  bound: number;
}

/**
 * Stateless depth-first search by preemption count: every schedule with 0 preemptions, then 1, and
 * so on until the budget runs out. Each run branches only after its prefix, so none runs twice.
 */
async function boundedSearch(
  index: number,
  budget: Budget,
  attempt: (index: number, choose: Chooser) => Promise<Attempt>,
): Promise<SearchResult> {
  const buckets: Label[][][] = [[[]]];
  let runs = 0;
  for (let bound = 0; bound < buckets.length; bound++) {
    const stack = buckets[bound] ?? [];
    while (stack.length > 0) {
      if (runs >= budget.maxSchedules) return { found: null, complete: false, bound: bound - 1 };
      const prefix = stack.pop()!;
      const { run, found } = await attempt(index, follow(prefix));
      runs++;
      if (found) return { found, complete: false, bound };
      for (let step = run.labels.length - 1; step >= prefix.length; step--) {
        for (const alt of run.alternatives[step]!.slice().reverse()) {
          if (alt.label === run.labels[step]) continue;
          const cost = run.spent[step]! + alt.preempts;
          const next = [...run.labels.slice(0, step), alt.label];
          const bucket = buckets[cost] ?? [];
          buckets[cost] = bucket;
          bucket.push(next);
        }
      }
    }
  }
  return { found: null, complete: true, bound: buckets.length - 1 };
}

/**
 * Probabilistic concurrency testing: random task priorities, a few random points where the running
 * task drops to the lowest priority, and sometimes an injected failure or a newcomer in the turn.
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
    const variants = available.filter(
      (alt) => labelTask(alt.label) === top && labelMatchesOp(alt.label, best.label),
    );
    // Mostly the plain release; now and then a failure or a newcomer slipping into the turn.
    if (random() < 0.75) return best.label;
    return variants[Math.floor(random() * variants.length)]!.label;
  };
}

function labelMatchesOp(x: Label, y: Label): boolean {
  if ('a' in x || 'a' in y) return 'a' in x && 'a' in y;
  return x.t === y.t && x.o === y.o;
}
