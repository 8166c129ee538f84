/**
 * Every input of a session, typed: what the sources see (saves, a watcher that fails, a signal),
 * what the learner asks for on the screens, what grading and other work report back, and the
 * handoffs that return the terminal. `Session.dispatch` takes each one.
 */
import type { Verdict } from '../grader/verdict.js';
import type { QuizCounts, Route } from './state.js';

export type SessionEvent =
  // Sources (session/sources.ts): files and signals.
  | { type: 'saved'; file: string }
  | { type: 'file-gone'; file: string }
  | { type: 'watch-failed'; message: string }
  | { type: 'watching' }
  | { type: 'progress-changed' }
  | { type: 'signal'; signal: NodeJS.Signals }
  // Keys (ui/): what the learner asks for.
  | { type: 'go'; route: Route }
  | { type: 'back' }
  | { type: 'check'; id?: string; replay?: string }
  | { type: 'hint' }
  | { type: 'next' }
  | { type: 'reset'; id: string }
  | { type: 'edit' }
  | { type: 'quiz' }
  /** Play the scheduler on the exercise on screen. */
  | { type: 'play' }
  | { type: 'quit' }
  // Work the session started, reporting back.
  | { type: 'opened'; id: string; statement: string; solution: string | null }
  | { type: 'grading'; id: string }
  | {
      type: 'graded';
      id: string;
      verdict: Verdict;
      at: Date;
      /** A replayed schedule: shown, not recorded. */
      replay: boolean;
      /** The reference fix once the exercise is done (read for the exercise on screen), else null. */
      solution: string | null;
    }
  | { type: 'progress' }
  | { type: 'quiz-counted'; counts: QuizCounts | 'unavailable' }
  | { type: 'notice'; message: string | null }
  // The terminal comes back from an editor or the quiz.
  | { type: 'returned'; from: 'editor' | 'quiz' | 'play'; message: string | null };

export type EventOf<T extends SessionEvent['type']> = Extract<SessionEvent, { type: T }>;
