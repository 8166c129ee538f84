import path from 'node:path';
import { findExercise } from '../course/course.js';
import type { Exercise } from '../course/types.js';
import { UserError } from '../errors.js';
import { decodeReplay } from '../explorer/replay.js';
import { Grader } from '../grader/grader.js';
import type { Verdict } from '../grader/verdict.js';
import { renderVerdict } from '../ui/verdict-text.js';
import type { SaveOutcome } from '../workspace/state.js';
import { exerciseFile } from '../workspace/workspace.js';
import { type Context, type GlobalOptions, openContext } from './context.js';

export interface CheckOptions extends GlobalOptions {
  all?: boolean;
  replay?: string;
}

/** The fields of `check --json`, in the documented order: a stable shape (the README shows it). */
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

type VerdictJson = Pick<Verdict, (typeof JSON_FIELDS)[number]>;

export function verdictJson(verdict: Verdict): VerdictJson {
  return Object.fromEntries(JSON_FIELDS.map((field) => [field, verdict[field]])) as VerdictJson;
}

/**
 * Grade one exercise of the workspace and record the outcome in the learner's progress. A progress
 * file that cannot be written never hides the verdict: the verdict comes back with one note that
 * says why progress was not saved.
 */
export async function gradeExercise(
  ctx: Context,
  grader: Grader,
  exercise: Exercise,
  replay?: string,
): Promise<Verdict> {
  const file = exerciseFile(ctx.ws, exercise);
  const verdict = await grader.grade({
    exercise: exercise.id,
    file,
    shownAs: path.relative(process.cwd(), file) || file,
    replay,
  });
  if (replay !== undefined) return verdict;
  let outcome: SaveOutcome = { saved: true };
  if (verdict.passed) {
    outcome = await ctx.progress.markDone(
      exercise.id,
      ctx.course.exercises.map((e) => e.id),
    );
  } else if (verdict.setupProblem === null) {
    // Not graded (no database) says nothing about the learner's file.
    outcome = await ctx.progress.markPending(exercise.id);
  }
  return outcome.saved ? verdict : { ...verdict, notes: [...verdict.notes, outcome.warning] };
}

export async function checkCommand(id: string | undefined, options: CheckOptions): Promise<number> {
  if (options.all && id)
    throw new UserError('give an exercise id or --all, not both', "e.g. 'racelings check counter'");
  if (options.all && options.replay)
    throw new UserError('--replay replays one exercise', "e.g. 'racelings check counter --replay TOKEN'");
  // The grader process loads TypeScript and the checks while this one reads the workspace.
  const grader = new Grader();
  grader.warm();
  try {
    return await checkWith(grader, id, options);
  } finally {
    await grader.close();
  }
}

async function checkWith(grader: Grader, id: string | undefined, options: CheckOptions): Promise<number> {
  const ctx = await openContext(options);
  const chosen = options.all
    ? ctx.course.exercises
    : [findExercise(ctx.course, id ?? ctx.progress.get().current ?? ctx.course.exercises[0]!.id)];
  if (options.replay !== undefined) {
    const point = decodeReplay(options.replay);
    if (!point)
      throw new UserError(
        'that is not a replay token of this version of racelings',
        'copy the token from a verdict',
      );
    if (point.exercise !== chosen[0]!.id) {
      throw new UserError(
        `that token replays '${point.exercise}'`,
        `run 'racelings check ${point.exercise} --replay ${options.replay}'`,
      );
    }
  }
  const verdicts: Verdict[] = [];
  for (const exercise of chosen) {
    const verdict = await gradeExercise(ctx, grader, exercise, options.replay);
    verdicts.push(verdict);
    if (!options.json) {
      for (const line of renderVerdict(verdict, exercise, ctx)) ctx.say(line);
      for (const note of verdict.notes) ctx.say(`! ${note}`);
    }
  }
  if (options.json) {
    const json = options.all ? verdicts.map(verdictJson) : verdictJson(verdicts[0]!);
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
  } else if (options.all) {
    const passedCount = verdicts.filter((v) => v.passed).length;
    ctx.say(`\n${passedCount} passed, ${verdicts.length - passedCount} failed`);
  }
  // A machine that cannot grade (no database) is an installation problem, not a failed fix.
  if (verdicts.some((v) => v.setupProblem !== null)) return 2;
  return verdicts.every((v) => v.passed) ? 0 : 1;
}
