import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { findExercise } from '../course/course.js';
import { UserError } from '../errors.js';
import { command } from '../report/invocation.js';
import { paint } from '../report/paint.js';
import { isSolved } from '../workspace/state.js';
import { type GlobalOptions, openContext } from './context.js';

export interface SolutionOptions extends GlobalOptions {
  yes?: boolean;
}

async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

/** The reference fix: after a pass, or after an explicit confirmation. */
export async function solutionCommand(id: string, options: SolutionOptions): Promise<number> {
  const ctx = await openContext(options);
  const exercise = findExercise(ctx.course, id);
  if (!isSolved(ctx.progress.get(), id) && !options.yes) {
    if (!process.stdin.isTTY || !process.stdout.isTTY) {
      throw new UserError(
        `'${id}' is not solved yet, so its solution stays hidden`,
        `pass --yes to see it anyway, or try '${command(`hint ${id}`)}'`,
      );
    }
    const sure = await confirm(
      `'${id}' is not solved yet. Seeing the fix now spoils the exercise. Show it anyway? [y/N] `,
    );
    if (!sure) {
      ctx.say(`Kept hidden. '${command(`hint ${id}`)}' gives the next hint.`);
      return 0;
    }
  }
  const file = path.join(ctx.course.root, 'solutions', id, exercise.file);
  ctx.say(
    paint(
      `// reference fix: solutions/${id}/${exercise.file} (a drop-in replacement for your file)`,
      { dim: true },
      ctx.color,
    ),
  );
  ctx.say((await readFile(file, 'utf8')).trimEnd());
  return 0;
}
