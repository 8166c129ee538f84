import { paint } from '../ui/style.js';
import { statusOf } from '../workspace/state.js';
import { type GlobalOptions, openContext } from './context.js';

/** The home screen as plain text: progress per lesson and what to do next. */
export async function homeText(options: GlobalOptions): Promise<number> {
  const ctx = await openContext(options);
  const { course } = ctx;
  const done = ctx.progress.get().done.length;
  ctx.say(
    `${paint('bold', 'racelings', ctx.color)} — ${done} of ${course.exercises.length} exercises done · workspace ${ctx.ws.dir}`,
  );
  for (const lesson of course.lessons) {
    const exercises = course.exercises.filter((e) => e.lesson === lesson);
    if (exercises.length === 0) continue;
    const marks = exercises
      .map((e) => `${statusOf(ctx.progress.get(), e.id) === 'done' ? '✓' : '·'} ${e.id}`)
      .join('  ');
    ctx.say(`  ${lesson.padEnd(26)} ${marks}`);
  }
  const current = ctx.progress.get().current;
  if (current) ctx.say(`\nnext: racelings check ${current}   (run racelings in a terminal for the tutor)`);
  return 0;
}
