/** What every session stands on: the course, the learner's workspace and their progress. */
import { loadCourse } from '../course/course.js';
import type { Course } from '../course/types.js';
import { ProgressStore } from '../workspace/state.js';
import { addNewExercises, resolveWorkspace, type Workspace } from '../workspace/workspace.js';

export interface Workplace {
  course: Course;
  ws: Workspace;
  progress: ProgressStore;
  /** Things to tell the learner once (exercises added, a progress file rebuilt); printed by the command. */
  notices: string[];
}

/**
 * Load the course, find the workspace (`--workspace`, the one around the current folder, or the
 * clone's own) and open the progress. Raises a UserError when there is no workspace.
 */
export async function openWorkplace(workspace: string | undefined): Promise<Workplace> {
  const course = await loadCourse();
  const ws = await resolveWorkspace(course, workspace);
  const progress = await ProgressStore.open(ws, course);
  const added = await addNewExercises(course, ws);
  const notices: string[] = [];
  if (added.length > 0)
    notices.push(`new exercises added to this workspace: ${added.map((e) => e.id).join(', ')}`);
  if (progress.notice) notices.push(progress.notice);
  return { course, ws, progress, notices };
}
