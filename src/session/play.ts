/**
 * What `racelings play` works on: one exercise's file, played through the grader process (its
 * code runs there, contained like a grading). Nothing here writes a file or the progress.
 */
import path from 'node:path';
import { findExercise } from '../course/course.js';
import type { Grader } from '../grader/grader.js';
import type { Known, Move, PlayPosition } from '../grader/position.js';
import { exerciseFile } from '../workspace/workspace.js';
import type { Workplace } from './open.js';

/** The goal when the course gives none: what any check can break. */
export const GENERIC_GOAL = 'choose the steps so that an invariant breaks, or the callers deadlock';

/** What the play screen asks of the grader, for one exercise. */
export interface PlayPort {
  exercise: { id: string; title: string; goal: string };
  /** Where `moves` lead in workload `workload` (an index into the check's examples). */
  position(workload: number, moves: Move[]): Promise<PlayPosition>;
  /** What the explorer finds in that workload: its shortest failing schedule, or its proof. */
  explore(workload: number): Promise<Known>;
  /** A schedule that breaks the code from where `moves` lead, as moves from the start (a hint). */
  lead(workload: number, moves: Move[]): Promise<Known>;
}

export interface PlayTarget {
  /** Play the shipped broken file instead of the learner's version. */
  original?: boolean;
  /** Where paths are shown relative to (the learner's shell). */
  cwd?: string;
}

/**
 * A PlayPort on exercise `id` of the workplace: the learner's file (or the shipped original), run
 * by `grader`. Raises a UserError for an unknown id (see findExercise).
 */
export function playPort(
  grader: Pick<Grader, 'play' | 'explore' | 'lead'>,
  place: Workplace,
  id: string,
  target: PlayTarget = {},
): PlayPort {
  const exercise = findExercise(place.course, id);
  const file = target.original
    ? path.join(place.course.root, 'exercises', id, exercise.file)
    : exerciseFile(place.ws, exercise);
  const relative = path.relative(target.cwd ?? process.cwd(), file);
  const shownAs = relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
  const input = { exercise: id, file, shownAs };
  return {
    exercise: { id, title: exercise.title, goal: exercise.goal ?? GENERIC_GOAL },
    position: (workload, moves) => grader.play({ ...input, workload, moves }),
    explore: (workload) => grader.explore({ ...input, workload }),
    lead: (workload, moves) => grader.lead({ ...input, workload, moves }),
  };
}
