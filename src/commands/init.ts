import path from 'node:path';
import { loadCourse } from '../course/course.js';
import { createWorkspace, shellQuote } from '../workspace/init.js';

export async function initCommand(dir: string): Promise<number> {
  const course = await loadCourse();
  const target = path.resolve(dir);
  await createWorkspace(target, course);
  const shown = path.relative(process.cwd(), target) || '.';
  process.stdout.write(
    `created a racelings workspace in ${shown} with ${course.exercises.length} exercises\n\n  cd ${shellQuote(shown)}\n  npx racelings            the tutor\n  npx racelings check      grade the current exercise\n`,
  );
  return 0;
}
