/** The documented JSON of a verdict (`check --json`, `watch --json`): a stable shape, see the README. */
import type { Verdict } from '../grader/verdict.js';
import { failingStep } from './timeline.js';

/** The fields of a verdict in JSON, in the documented order. */
const JSON_FIELDS = [
  'id',
  'passed',
  'reason',
  'invariant',
  'schedule',
  'replay',
  'explored',
  'workload',
  'notes',
  'durationMs',
  'tasks',
  'diagnostics',
  'output',
  'setupProblem',
] as const satisfies readonly (keyof Verdict)[];

export type VerdictJson = Pick<Verdict, (typeof JSON_FIELDS)[number]> & {
  /** 0-based index into `schedule` of the step the timeline marks (the one that broke the code); null without a schedule. */
  failingStep: number | null;
};

/** A verdict in its documented JSON shape, with the index of the step the timeline marks. */
export function verdictJson(verdict: Verdict): VerdictJson {
  const fields = Object.fromEntries(JSON_FIELDS.map((field) => [field, verdict[field]]));
  const step = failingStep(verdict);
  return { ...fields, failingStep: step < 0 ? null : step } as VerdictJson;
}
