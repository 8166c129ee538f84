import { findExercise } from '../course/course.js';
import { Grader } from '../grader/grader.js';
import { renderVerdict } from '../ui/verdict-text.js';
import { verdictJson } from './check.js';
import { type GlobalOptions, openContext } from './context.js';
import { WatchLoop } from './watch-loop.js';

export interface WatchOptions extends GlobalOptions {
  manual?: boolean;
}

/**
 * `racelings watch [ID]` without a screen: grade once at the start and on every save of that one
 * exercise, as JSON lines (`--json`) or plain verdicts, until Ctrl-C or SIGTERM.
 */
export async function watchCommand(id: string | undefined, options: WatchOptions): Promise<number> {
  const ctx = await openContext(options);
  const exercise = findExercise(ctx.course, id ?? ctx.progress.get().current ?? ctx.course.exercises[0]!.id);
  const grader = new Grader();
  grader.warm();
  const loop = new WatchLoop(ctx, grader, (event) => {
    if (event.type === 'verdict') {
      if (options.json) {
        const line = { ...verdictJson(event.verdict), at: event.at.toISOString() };
        process.stdout.write(`${JSON.stringify(line)}\n`);
      } else {
        for (const line of renderVerdict(event.verdict, exercise, ctx)) ctx.say(line);
        for (const note of event.verdict.notes) ctx.say(`! ${note}`);
        ctx.say();
      }
    } else if (event.type === 'manual') {
      // Nothing here reads keys: without file events there is nothing to wait for.
      process.stderr.write(
        `racelings: file changes are not reported here; run 'racelings check ${exercise.id}' after each save\n`,
      );
    } else if (event.type === 'error') {
      process.stderr.write(`racelings: ${event.message}\n`);
    } else if (!options.json) {
      ctx.say(`checking ${exercise.id}…`);
    }
  });
  loop.watch(exercise);
  const stopped = new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  try {
    await loop.start({ manual: options.manual });
    if (!options.json) ctx.say(`watching ${exercise.id} — save the file to grade it again; Ctrl-C stops`);
    loop.check();
    await stopped;
  } finally {
    await loop.close();
    await grader.close();
  }
  return 0;
}
