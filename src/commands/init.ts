import path from 'node:path';
import { loadCourse } from '../course/course.js';
import { commandPrefix } from '../report/invocation.js';
import { createWorkspace, shellQuote } from '../workspace/init.js';

export async function initCommand(dir: string): Promise<number> {
  const course = await loadCourse();
  const target = path.resolve(dir);
  await createWorkspace(target, course);
  const shown = path.relative(process.cwd(), target) || '.';
  // `npm start` works only inside the clone: from the new folder, the clone's bin runs as it is.
  const fromClone = commandPrefix().startsWith('npm ');
  const run = fromClone ? `node ${shellQuote(path.join(course.root, 'dist', 'bin.js'))}` : commandPrefix();
  const lines = [
    `created a racelings workspace in ${shown} with ${course.exercises.length} exercises`,
    '',
    `  cd ${shellQuote(shown)}`,
    `  ${run.padEnd(24)} the tutor`,
    `  ${`${run} check`.padEnd(24)} grade the current exercise`,
  ];
  if (fromClone) lines.push('', "For a 'racelings' command, run 'npm link' in the clone.");
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
