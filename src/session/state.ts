/**
 * Everything a screen or a reporter shows of the learner's session, as one immutable value, and
 * the rules that derive it from the course and the progress (status, what comes next).
 */
import type { Lesson } from '../course/lessons.js';
import type { Tier } from '../course/types.js';
import type { Verdict } from '../grader/verdict.js';
import type { EditorCommand } from './editor.js';

export type ExerciseStatus = 'done' | 'current' | 'pending';

/** Where the tutor is. `back` says where `q` goes from an exercise ('quit' when it was opened directly). */
export type Route =
  | { name: 'home' }
  | { name: 'list'; selected?: string }
  | LessonsRoute
  | { name: 'lesson'; id: string; back: LessonsRoute | 'quit' }
  | { name: 'exercise'; id: string; back: Exclude<Route, { name: 'exercise' }> | 'quit' };

/** The lesson list; `quit` when `racelings learn` opened it (q leaves instead of going home). */
export interface LessonsRoute {
  name: 'lessons';
  selected?: string;
  back?: 'home' | 'quit';
}

/** An exercise as the screens show it, in teaching order. */
export interface ExerciseView {
  id: string;
  title: string;
  lesson: string;
  tier: Tier;
  hints: string[];
  /** Absolute path of the learner's file (the target of the clickable link). */
  file: string;
  /** The same path as the learner would type it (relative to where racelings runs). */
  shownAs: string;
  status: ExerciseStatus;
  /** A service this machine lacks to grade it ('Redis'), or null when nothing is missing. */
  needs: string | null;
}

export interface LessonView extends Lesson {
  read: boolean;
}

/** The exercise on screen, its statement and its grading. */
export interface OpenExercise {
  id: string;
  /** The statement's markdown; null while it is read. */
  statement: string | null;
  /** The reference fix, once the exercise is solved; null before. */
  solution: string | null;
  grading: boolean;
  verdict: Verdict | null;
  /** When the shown verdict arrived. */
  checkedAt: Date | null;
  /** Saves of the file since the exercise opened. */
  saves: number;
  /** The save the running grading reads (0: the file as it was at opening), and the one the shown verdict graded. */
  gradingSave: number;
  verdictSave: number;
  /** Set when the learner's file is missing (deleted, or its folder moved away). */
  missing: string | null;
}

/** The quiz's cards: what is new today, in learning, due for review, and the total. */
export interface QuizCounts {
  new: number;
  learning: number;
  /** Learning cards due now (the rest come back later today). */
  learningDue: number;
  review: number;
  total: number;
}

/** Why the tutor gives the terminal away: an editor, the quiz, or leaving. */
export type Handoff =
  | { to: 'editor'; editor: EditorCommand }
  | { to: 'quiz' }
  /** Play the scheduler on exercise `id` (racelings play), then come back. */
  | { to: 'play'; id: string }
  | { to: 'quit' };

export interface SessionState {
  route: Route;
  exercises: ExerciseView[];
  /** Lesson ids in teaching order. */
  lessonOrder: string[];
  /** The lessons to read; empty when they could not be loaded. */
  lessons: LessonView[];
  done: number;
  current: string | null;
  /** The exercise to do after the current one (the first not done after it, in teaching order). */
  next: string | null;
  /** How many hints of each exercise the learner has seen. */
  hints: Record<string, number>;
  /** null while counted, 'unavailable' when the cards cannot be read. */
  quiz: QuizCounts | 'unavailable' | null;
  open: OpenExercise | null;
  /** Set when saves are not graded on their own and `c` is the way to grade. */
  manual: string | null;
  /** A one-line message for the learner (an editor that could not start, where a backup went). */
  notice: string | null;
  handoff: Handoff | null;
}

/** done, current (what to continue) or pending, from the progress. */
export function statusOf(
  progress: { done: readonly string[]; current: string | null },
  id: string,
): ExerciseStatus {
  if (progress.done.includes(id)) return 'done';
  return progress.current === id ? 'current' : 'pending';
}

/** The first exercise after `id` in `ids` (teaching order), wrapping around, that is not done. */
export function nextPending(ids: readonly string[], done: readonly string[], id: string): string | null {
  const start = ids.indexOf(id);
  return [...ids.slice(start + 1), ...ids.slice(0, start)].find((other) => !done.includes(other)) ?? null;
}

/** Exercises in teaching order: by their lesson's place in the course, then as listed. */
export function teachingOrder<E extends { lesson: string }>(
  exercises: readonly E[],
  lessons: readonly string[],
): E[] {
  const rank = (e: E) => {
    const index = lessons.indexOf(e.lesson);
    return index < 0 ? lessons.length : index;
  };
  return exercises
    .map((exercise, index) => ({ exercise, index }))
    .sort((a, b) => rank(a.exercise) - rank(b.exercise) || a.index - b.index)
    .map(({ exercise }) => exercise);
}
