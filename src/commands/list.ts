import path from 'node:path';
import { missingService } from '../redis/server.js';
import { paint } from '../ui/style.js';
import { statusOf } from '../workspace/state.js';
import { exerciseFile } from '../workspace/workspace.js';
import { type GlobalOptions, openContext } from './context.js';

export async function listCommand(options: GlobalOptions): Promise<number> {
  const ctx = await openContext(options);
  const rows = ctx.course.exercises.map((e) => ({
    id: e.id,
    title: e.title,
    lesson: e.lesson,
    tier: e.tier,
    path: path.relative(ctx.ws.dir, exerciseFile(ctx.ws, e)),
    status: statusOf(ctx.progress.get(), e.id),
    needs: missingService(e.tier),
  }));
  if (options.json) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return 0;
  }
  const mark = {
    done: paint('green', '✓', ctx.color),
    current: paint('yellow', '▶', ctx.color),
    pending: ' ',
  };
  const idWidth = Math.max(...rows.map((r) => r.id.length));
  for (const row of rows) {
    ctx.say(
      `${mark[row.status]} ${row.id.padEnd(idWidth)}  ${row.title}  ${paint('dim', `${row.tier} · ${row.path}`, ctx.color)}${row.needs ? paint('yellow', ` · needs ${row.needs}`, ctx.color) : ''}`,
    );
  }
  const done = rows.filter((r) => r.status === 'done').length;
  ctx.say(`\n${done} of ${rows.length} done · workspace ${ctx.ws.dir}`);
  return 0;
}
