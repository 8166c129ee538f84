import { loadCourse } from '../course/course.js';
import type { Course } from '../course/types.js';
import { ProgressStore } from '../workspace/state.js';
import { addNewExercises, resolveWorkspace, type Workspace } from '../workspace/workspace.js';

/** What every command gets from the global flags. */
export interface GlobalOptions {
  workspace?: string;
  color: boolean;
  json?: boolean;
}

export interface Context {
  course: Course;
  ws: Workspace;
  progress: ProgressStore;
  color: boolean;
  width: number;
  /** Lines for a person (never on stdout of a --json command). */
  say(line?: string): void;
}

export function terminalWidth(): number {
  return Math.min(process.stdout.columns || 100, 140);
}

/** Load the course, find the workspace and open the learner's progress. */
export async function openContext(options: GlobalOptions): Promise<Context> {
  const course = await loadCourse();
  const ws = await resolveWorkspace(course, options.workspace);
  const progress = await ProgressStore.open(ws, course);
  const added = await addNewExercises(course, ws);
  if (added.length > 0) {
    process.stderr.write(
      `racelings: new exercises added to this workspace: ${added.map((e) => e.id).join(', ')}\n`,
    );
  }
  const say = (line = '') => (options.json ? process.stderr : process.stdout).write(`${line}\n`);
  if (progress.notice) process.stderr.write(`racelings: ${progress.notice}\n`);
  return { course, ws, progress, color: options.color, width: terminalWidth(), say };
}
