import { findExercise } from '../course/course.js';
import { hintLines } from '../report/hints.js';
import { command } from '../report/invocation.js';
import { type GlobalOptions, openContext } from './context.js';

/** Shows the hints seen so far and one more, each more specific than the last; the current exercise without an id. */
export async function hintCommand(id: string | undefined, options: GlobalOptions): Promise<number> {
  const ctx = await openContext(options);
  const exercise = findExercise(ctx.course, id ?? ctx.progress.get().current ?? ctx.course.exercises[0]!.id);
  const before = ctx.progress.get().hints[exercise.id] ?? 0;
  const outcome = await ctx.progress.seeHint(exercise.id, exercise.hints.length);
  const { seen } = outcome;
  for (const line of hintLines(exercise.hints, seen, { width: ctx.width, color: ctx.color })) ctx.say(line);
  if (seen === before) {
    ctx.say(
      `\nThat was the last hint. Compare with the reference fix: ${command(`solution ${exercise.id}`)}`,
    );
  }
  if (!outcome.saved) process.stderr.write(`racelings: ${outcome.warning}\n`);
  return 0;
}
