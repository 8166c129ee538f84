export type Tier = 'async' | 'workers' | 'postgres' | 'redis';

export interface Exercise {
  id: string;
  title: string;
  /** Lesson id (a file name in content/lessons without .md). */
  lesson: string;
  tier: Tier;
  /** The one file the learner edits, relative to exercises/<id>/. */
  file: string;
  /** Progressive hints, each more specific than the last. */
  hints: string[];
  /** Path of the statement the learner reads, relative to exercises/<id>/. */
  statement: string;
  /** What to make happen when playing the scheduler (`racelings play`): "make a hit get lost"; null: a generic goal. */
  goal: string | null;
}

export interface Course {
  /** Root of the installed package: content/, exercises/, solutions/ live here. */
  root: string;
  /** Lesson ids in teaching order. */
  lessons: string[];
  exercises: Exercise[];
}
