import type { Lesson } from '../course/lessons.js';
import type { Tier } from '../course/types.js';
import type { Verdict } from '../grader/verdict.js';

/** An exercise as the screens show it. */
export interface ExerciseInfo {
  id: string;
  title: string;
  lesson: string;
  tier: Tier;
  hints: string[];
  /** Absolute path of the learner's file (the target of the clickable link). */
  file: string;
  /** The same path as the learner would type it (relative to where racelings runs). */
  shownAs: string;
  /** A service this machine lacks to grade it ('Redis'), or null/absent when nothing is missing. */
  needs?: string | null;
}

/** The exercise on screen and its grading. */
export interface OpenExercise {
  id: string;
  /** The statement's markdown (the exercise's README.md). */
  statement: string;
  /** The reference fix, once the exercise is solved; null before. */
  solution: string | null;
  checking: boolean;
  verdict: Verdict | null;
  error: string | null;
}

export interface QuizCounts {
  new: number;
  learning: number;
  review: number;
  total: number;
}

/** Everything the tutor's screens show; replaced, never mutated, on every change. */
export interface TutorSnapshot {
  exercises: ExerciseInfo[];
  /** Lesson ids in teaching order (from the course). */
  lessonOrder: string[];
  /** The lessons to read; empty when they could not be loaded. */
  lessons: Lesson[];
  done: string[];
  current: string | null;
  /** How many hints of each exercise the learner has seen. */
  hints: Record<string, number>;
  /** The quiz's due cards; null while they are being counted, 'unavailable' when they cannot be. */
  quiz: QuizCounts | 'unavailable' | null;
  open: OpenExercise | null;
  /** Set when saves are not reported and `c` is the way to grade. */
  manual: string | null;
  /** A one-line message for the learner (an editor that could not start, say). */
  notice: string | null;
}

/** What the screens can ask for; the command that owns the app does the I/O. */
export interface TutorPort {
  subscribe(listener: () => void): () => void;
  snapshot(): TutorSnapshot;
  /** Show this exercise and grade it now and on every save. */
  openExercise(id: string): void;
  closeExercise(): void;
  /** Grade the open exercise again. */
  check(): void;
  seeHint(id: string): void;
  /** Restore the pristine file; resolves with a line to show (where the backup went). */
  reset(id: string): Promise<string>;
  /** Open the exercise's file in the learner's editor. */
  edit(id: string): void;
  /** Leave for the quiz; the app comes back to home afterwards. */
  quiz(): void;
  quit(): void;
}
