import path from 'node:path';
import { paint } from '../report/paint.js';
import { Session } from '../session/session.js';
import { type GlobalOptions, openContext } from './context.js';

/** `racelings list [--json]`: every exercise in teaching order (as the tutor lists them) with its status. */
export async function listCommand(options: GlobalOptions): Promise<number> {
  const ctx = await openContext(options);
  const state = (await Session.view(ctx)).snapshot();
  const rows = state.exercises.map((e) => ({
    id: e.id,
    title: e.title,
    lesson: e.lesson,
    tier: e.tier,
    path: path.relative(ctx.ws.dir, e.file),
    status: e.status,
  }));
  if (options.json) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return 0;
  }
  const mark = {
    done: paint('✓', { colour: 'green' }, ctx.color),
    current: paint('▶', { colour: 'yellow' }, ctx.color),
    pending: ' ',
  };
  const idWidth = Math.max(...rows.map((r) => r.id.length));
  for (const row of rows) {
    ctx.say(
      `${mark[row.status]} ${row.id.padEnd(idWidth)}  ${row.title}  ${paint(`${row.lesson} · ${row.tier} · ${row.path}`, { dim: true }, ctx.color)}`,
    );
  }
  ctx.say(`\n${state.done} of ${rows.length} done · workspace ${ctx.ws.dir}`);
  return 0;
}
