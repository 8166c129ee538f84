import type { Found } from './explorer.js';
import { follow, type Run, runSchedule } from './run.js';
import type { Label, Scenario } from './scenario.js';
import { labelTask } from './scenario.js';

/** Replays a shrink may spend; each is one schedule run (a fraction of a millisecond). */
const SHRINK_BUDGET = 400;
/** Steps all those replays may take together: a schedule that hit the step limit is long. */
const SHRINK_STEPS = 20_000;

function cost(run: Run): number {
  return run.labels.length + run.switches;
}

function better(candidate: Run, best: Run): boolean {
  const [a, b] = [cost(candidate), cost(best)];
  return a < b || (a === b && candidate.switches < best.switches);
}

/** Simpler schedules to try: drop a choice, swap two neighbours, drop an injected failure or newcomer. */
function* candidates(labels: readonly Label[]): Generator<Label[]> {
  for (let i = 0; i < labels.length; i++) yield [...labels.slice(0, i), ...labels.slice(i + 1)];
  for (let i = 0; i + 1 < labels.length; i++) {
    if (labelTask(labels[i]!) === labelTask(labels[i + 1]!)) continue;
    yield [...labels.slice(0, i), labels[i + 1]!, labels[i]!, ...labels.slice(i + 2)];
  }
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i]!;
    if ('a' in label || (label.f === undefined && label.n === undefined)) continue;
    if (label.n !== undefined && (label.h ?? 0) > 0) {
      yield [...labels.slice(0, i), { ...label, h: (label.h ?? 0) - 1 }, ...labels.slice(i + 1)];
    }
    const { f: _failure, n: _newcomer, h: _hops, ...plain } = label;
    yield [...labels.slice(0, i), plain, ...labels.slice(i + 1)];
  }
}

/** Reduce a failing schedule to the fewest steps and context switches that still fail the same way. */
export async function shrink<M>(scenario: Scenario<M>, instantiate: () => M, found: Found): Promise<Found> {
  // A run that never ends cannot get shorter by dropping choices; a module that will not load has none.
  if (found.failure.kind === 'steps' || found.failure.kind === 'livelock' || found.failure.kind === 'import')
    return found;
  let best = found;
  let budget = SHRINK_BUDGET;
  let steps = SHRINK_STEPS;
  let improved = true;
  while (improved && budget > 0 && steps > 0) {
    improved = false;
    for (const candidate of candidates(best.run.labels)) {
      if (budget-- <= 0 || steps <= 0) break;
      const run = await runSchedule(scenario, instantiate, follow(candidate));
      steps -= run.labels.length;
      if (run.failure?.kind === best.failure.kind && better(run, best.run)) {
        best = { run, failure: run.failure };
        improved = true;
        break;
      }
    }
  }
  return best;
}
