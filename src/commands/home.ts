import { command } from '../report/invocation.js';
import { paint } from '../report/paint.js';
import { Session } from '../session/session.js';
import { type GlobalOptions, openContext } from './context.js';

const MARK = { done: '✓', current: '▶', pending: '·' } as const;

/** The home screen as plain text (no terminal): progress per lesson and what to do next, as the tutor says it. */
export async function homeText(options: GlobalOptions): Promise<number> {
  const ctx = await openContext(options);
  const state = (await Session.view(ctx)).snapshot();
  ctx.say(
    `${paint('racelings', { bold: true }, ctx.color)} — ${state.done} of ${state.exercises.length} exercises done · workspace ${ctx.ws.dir}`,
  );
  const width = Math.max(...state.lessonOrder.map((lesson) => lesson.length));
  for (const lesson of state.lessonOrder) {
    const exercises = state.exercises.filter((e) => e.lesson === lesson);
    if (exercises.length === 0) continue;
    const count = exercises.filter((e) => e.status === 'done').length;
    const marks = exercises.map((e) => `${MARK[e.status]} ${e.id}`).join('  ');
    ctx.say(`  ${lesson.padEnd(width)}  ${count}/${exercises.length}  ${marks}`);
  }
  const current = state.exercises.find((e) => e.id === state.current && e.status !== 'done');
  ctx.say('');
  if (current) ctx.say(`next: ${current.id} — ${current.title} · ${command(`check ${current.id}`)}`);
  else ctx.say('every exercise is done — the quiz keeps it fresh');
  ctx.say(`run ${command('').trim()} in a terminal for the tutor`);
  return 0;
}
