import { render } from 'ink';
import { createElement } from 'react';
import { loadCourse } from '../course/course.js';
import { UserError } from '../errors.js';
import { type Card, loadCards } from '../quiz/cards.js';
import {
  cardsForTopic,
  DRILLS_TOPIC,
  type Grade,
  type QueueCounts,
  type QuizStats,
  Scheduler,
} from '../quiz/scheduler.js';
import { loadQuizState, type QuizState, quizStatePath, saveQuizState } from '../quiz/state.js';
import { QuizSession } from '../ui/quiz/quiz-session.js';

export interface QuizOptions {
  root: string;
  workspaceDir: string;
  topic?: string;
  stats: boolean;
  json: boolean;
  tty: boolean;
  /** A fixed clock, for tests; the live clock otherwise. */
  now?: Date;
}

export interface QuizSummary extends QueueCounts {
  total: number;
  /** Set when the progress file was unreadable and set aside. */
  notice?: string;
}

/** `racelings quiz`: the review session on a terminal, or `--stats` as text or JSON. */
export async function quizCommand(opts: QuizOptions): Promise<number> {
  const lessons = await readLessonIds(opts.root);
  const topics = [...lessons, DRILLS_TOPIC];
  if (opts.topic !== undefined && !topics.includes(opts.topic)) {
    throw new UserError(`unknown quiz topic '${opts.topic}'`, `known topics: ${topics.join(', ')}`);
  }
  if (!opts.stats && !opts.tty) {
    process.stdout.write("racelings quiz needs a terminal; try 'racelings quiz --stats'\n");
    return 2;
  }
  const clock = () => opts.now ?? new Date();
  const cards = cardsForTopic(await loadCards(opts.root, lessons), opts.topic);
  const loaded = await loadQuizState(opts.workspaceDir, clock());
  const scheduler = new Scheduler();

  if (opts.stats) {
    if (loaded.message) process.stderr.write(`${loaded.message}\n`);
    const stats = scheduler.stats(cards, loaded.state, clock());
    process.stdout.write(opts.json ? `${JSON.stringify(stats, null, 2)}\n` : formatStats(stats));
    return 0;
  }
  // On the session's own screen: printed before Ink takes the terminal, it could be erased.
  await runSession({ cards, scheduler, state: loaded.state, opts, clock, notice: loaded.message });
  return 0;
}

/** What the home screen shows: how many cards wait today. */
export async function quizSummary(root: string, workspaceDir: string, now: Date): Promise<QuizSummary> {
  const lessons = await readLessonIds(root);
  const cards = await loadCards(root, lessons);
  const loaded = await loadQuizState(workspaceDir, now);
  const counts = new Scheduler().counts(cards, loaded.state, now);
  return { ...counts, total: cards.length, ...(loaded.message ? { notice: loaded.message } : {}) };
}

interface SessionInput {
  cards: Card[];
  scheduler: Scheduler;
  state: QuizState;
  opts: QuizOptions;
  clock: () => Date;
  notice?: string;
}

/** Owns the Ink app's lifecycle: every grade is saved before the next card is shown. */
async function runSession({ cards, scheduler, opts, clock, notice, ...input }: SessionInput): Promise<void> {
  let state = input.state;
  let turn = 0;
  let shownAt = clock().getTime();
  let busy = false;
  let failure: unknown;

  const view = () => {
    const now = clock();
    return createElement(QuizSession, {
      card: scheduler.next(cards, state, now),
      turn,
      counts: scheduler.counts(cards, state, now),
      topic: opts.topic,
      now,
      nextDue: scheduler.nextDue(cards, state),
      notice,
      onGrade,
      onExit: () => app.unmount(),
    });
  };

  const onGrade = (card: Card, grade: Grade) => {
    if (busy) return;
    busy = true;
    const now = clock();
    state = scheduler.review(state, card.id, grade, now, now.getTime() - shownAt);
    saveQuizState(opts.workspaceDir, state).then(
      () => {
        busy = false;
        turn++;
        shownAt = clock().getTime();
        app.rerender(view());
      },
      (error: unknown) => {
        failure = error;
        app.unmount();
      },
    );
  };

  const app = render(view());
  await app.waitUntilExit();
  if (failure) {
    throw new UserError(
      `could not save quiz progress to ${quizStatePath(opts.workspaceDir)}: ${(failure as Error).message}`,
      'check that the workspace is writable and has free space',
    );
  }
}

function formatStats(stats: QuizStats): string {
  const header = ['lesson', 'new', 'learning', 'review', 'total'];
  const rows = Object.entries(stats.byLesson).map(([lesson, counts]) => [
    lesson,
    ...[counts.new, counts.learning, counts.review, counts.total].map(String),
  ]);
  rows.push(['all', ...[stats.new, stats.learning, stats.review, stats.total].map(String)]);
  const width = Math.max(...[header, ...rows].map((row) => row[0]!.length));
  const line = (row: string[]) =>
    [
      row[0]!.padEnd(width),
      ...row.slice(1).map((cell, index) => cell.padStart(header[index + 1]!.length)),
    ].join('  ');
  const summary = `New ${stats.new} · Learning ${stats.learning} · To review ${stats.review} · ${stats.total} cards\n`;
  return `${summary}\n${[header, ...rows].map(line).join('\n')}\n`;
}

/** Lesson ids in teaching order, from the course manifest. */
async function readLessonIds(root: string): Promise<string[]> {
  return (await loadCourse(root)).lessons;
}
