import { findExercise } from '../course/course.js';
import { paint } from '../ui/style.js';
import { type GlobalOptions, openContext } from './context.js';

/** Shows the hints seen so far and one more, each more specific than the last. */
export async function hintCommand(id: string, options: GlobalOptions): Promise<number> {
  const ctx = await openContext(options);
  const exercise = findExercise(ctx.course, id);
  const before = ctx.progress.get().hints[id] ?? 0;
  const outcome = await ctx.progress.seeHint(id, exercise.hints.length);
  const { seen } = outcome;
  exercise.hints.slice(0, seen).forEach((hint, i) => {
    const label = `hint ${i + 1} of ${exercise.hints.length}`;
    ctx.say(`${paint(i + 1 === seen && seen > before ? 'bold' : 'dim', label, ctx.color)}: ${hint}`);
  });
  if (seen === before) {
    ctx.say(`\nThat was the last hint. Compare with the reference fix: racelings solution ${id}`);
  }
  if (!outcome.saved) process.stderr.write(`racelings: ${outcome.warning}\n`);
  return 0;
}
