import path from 'node:path';
import { findExercise } from '../course/course.js';
import { exerciseFile, resetExercise } from '../workspace/workspace.js';
import { type GlobalOptions, openContext } from './context.js';

export async function resetCommand(id: string, options: GlobalOptions): Promise<number> {
  const ctx = await openContext(options);
  const exercise = findExercise(ctx.course, id);
  const backup = await resetExercise(ctx.course, ctx.ws, exercise);
  const outcome = await ctx.progress.markPending(id);
  ctx.say(`restored ${path.relative(process.cwd(), exerciseFile(ctx.ws, exercise))} to the broken original`);
  if (backup) ctx.say(`your version is kept in ${path.relative(process.cwd(), backup)}`);
  if (!outcome.saved) process.stderr.write(`racelings: ${outcome.warning}\n`);
  return 0;
}
