import { mkdir, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';

export const RATING_NAMES = ['Again', 'Hard', 'Good', 'Easy'] as const;
export type RatingName = (typeof RATING_NAMES)[number];
export const STATE_NAMES = ['New', 'Learning', 'Review', 'Relearning'] as const;
export type StateName = (typeof STATE_NAMES)[number];

/** One card's FSRS memory state, as stored: ts-fsrs field names, dates as ISO strings. */
export interface StoredCard {
  due: string;
  stability: number;
  difficulty: number;
  elapsed_days: number;
  scheduled_days: number;
  learning_steps: number;
  reps: number;
  lapses: number;
  state: StateName;
  last_review?: string;
}

export interface ReviewEntry {
  card: string;
  rating: RatingName;
  /** When the answer was graded (ISO). */
  time: string;
  /** How long the card was on screen before it was graded, in milliseconds. */
  elapsedMs: number;
}

export interface QuizState {
  version: 1;
  cards: Record<string, StoredCard>;
  log: ReviewEntry[];
}

export interface LoadedQuizState {
  state: QuizState;
  /** Set when the file was unreadable and set aside: tell the learner. */
  message?: string;
}

export function emptyQuizState(): QuizState {
  return { version: 1, cards: {}, log: [] };
}

export function quizStatePath(workspaceDir: string): string {
  return path.join(workspaceDir, '.racelings', 'quiz.json');
}

/** Reads the quiz state; a missing file is a fresh start, a corrupt one is moved aside and rebuilt. */
export async function loadQuizState(workspaceDir: string, now: Date): Promise<LoadedQuizState> {
  const file = quizStatePath(workspaceDir);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { state: emptyQuizState() };
    // Reading a folder fails without a path: name the file, so the message can.
    throw Object.assign(error as NodeJS.ErrnoException, { path: file });
  }
  let problem: string | undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    problem = describeProblem(parsed);
    if (!problem) return { state: parsed as QuizState };
  } catch (error) {
    problem = `not JSON (${(error as Error).message})`;
  }
  const backup = `${file}.corrupt-${now.toISOString().replace(/[:.]/g, '-')}`;
  await rename(file, backup);
  const state = emptyQuizState();
  await saveQuizState(workspaceDir, state);
  return {
    state,
    message: `Quiz progress in ${file} was unreadable: ${problem}. Kept it as ${backup} and started afresh.`,
  };
}

/** Writes the whole state atomically: a crash leaves the old file or the new one, never half of one. */
export async function saveQuizState(workspaceDir: string, state: QuizState): Promise<void> {
  const file = quizStatePath(workspaceDir);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, `${JSON.stringify(state, null, 2)}\n`);
}

/** Why a parsed file is not a QuizState, or undefined when it is one. */
function describeProblem(value: unknown): string | undefined {
  if (!isRecord(value)) return 'not an object';
  if (value.version !== 1) return `unknown version ${JSON.stringify(value.version)}`;
  if (!isRecord(value.cards)) return `'cards' is not an object`;
  for (const [id, card] of Object.entries(value.cards)) {
    if (!isStoredCard(card)) return `card '${id}' is malformed`;
  }
  if (!Array.isArray(value.log)) return `'log' is not a list`;
  const badEntry = value.log.findIndex((entry) => !isReviewEntry(entry));
  if (badEntry >= 0) return `review log entry ${badEntry + 1} is malformed`;
  return undefined;
}

function isStoredCard(value: unknown): value is StoredCard {
  if (!isRecord(value)) return false;
  const numbers = [
    'stability',
    'difficulty',
    'elapsed_days',
    'scheduled_days',
    'learning_steps',
    'reps',
    'lapses',
  ];
  return (
    isIsoDate(value.due) &&
    numbers.every((key) => typeof value[key] === 'number' && Number.isFinite(value[key])) &&
    (STATE_NAMES as readonly unknown[]).includes(value.state) &&
    (value.last_review === undefined || isIsoDate(value.last_review))
  );
}

function isReviewEntry(value: unknown): value is ReviewEntry {
  return (
    isRecord(value) &&
    typeof value.card === 'string' &&
    (RATING_NAMES as readonly unknown[]).includes(value.rating) &&
    isIsoDate(value.time) &&
    typeof value.elapsedMs === 'number' &&
    value.elapsedMs >= 0
  );
}

function isIsoDate(value: unknown): value is string {
  return typeof value === 'string' && !Number.isNaN(Date.parse(value));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
