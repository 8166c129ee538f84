import { UserError } from '../errors.js';
import { loadCards } from '../quiz/cards.js';
import { cardsForTopic, DRILLS_TOPIC } from '../quiz/scheduler.js';
import { command } from '../report/invocation.js';
import { countCards, countsText, QuizRun, summaryText } from '../session/quiz.js';
import type { QuizCounts } from '../session/state.js';
import { mountQuiz } from '../ui/quiz/QuizApp.js';
import { type GlobalOptions, openContext } from './context.js';

export interface QuizOptions extends GlobalOptions {
  topic?: string;
  stats: boolean;
  tty: boolean;
  /** A fixed clock, for tests; the live clock otherwise. */
  now?: Date;
}

/** `quiz --stats --json`: the counts of every card and per lesson. */
export interface QuizStats extends QuizCounts {
  byLesson: Record<string, QuizCounts>;
}

/** `racelings quiz`: the review on a terminal, or `--stats` as text or JSON; a summary when it ends. */
export async function quizCommand(opts: QuizOptions): Promise<number> {
  const ctx = await openContext(opts);
  const lessons = ctx.course.lessons;
  const topics = [...lessons, DRILLS_TOPIC];
  if (opts.topic !== undefined && !topics.includes(opts.topic)) {
    throw new UserError(`unknown quiz topic '${opts.topic}'`, `known topics: ${topics.join(', ')}`);
  }
  if (!opts.stats && !opts.tty) {
    process.stdout.write(`racelings quiz needs a terminal; try '${command('quiz --stats')}'\n`);
    return 2;
  }
  const progress = ctx.progress.get();
  const met = new Set([
    ...(progress.read ?? []),
    ...progress.done.map((id) => ctx.course.exercises.find((e) => e.id === id)?.lesson ?? ''),
  ]);
  const clock = () => opts.now ?? new Date();
  const source = { root: ctx.course.root, lessons, workspaceDir: ctx.ws.dir, met, topic: opts.topic };
  const run = await QuizRun.open(source, clock);
  if (opts.stats) {
    if (run.notice) process.stderr.write(`${run.notice}\n`);
    const stats = quizStats(run, await loadCards(ctx.course.root, lessons), clock());
    process.stdout.write(opts.json ? `${JSON.stringify(stats, null, 2)}\n` : formatStats(stats));
    return 0;
  }
  const summary = await mountQuiz(run);
  process.stdout.write(`${summaryText(summary)}\n`);
  return 0;
}

function quizStats(run: QuizRun, all: Awaited<ReturnType<typeof loadCards>>, now: Date): QuizStats {
  const cards = cardsForTopic(all, run.topic);
  const byLesson: Record<string, QuizCounts> = {};
  for (const lesson of new Set(cards.map((card) => card.lesson))) {
    byLesson[lesson] = countCards(
      run.scheduler,
      cards.filter((card) => card.lesson === lesson),
      run.quizState,
      now,
    );
  }
  return { ...countCards(run.scheduler, cards, run.quizState, now), byLesson };
}

function formatStats(stats: QuizStats): string {
  const header = ['lesson', 'new', 'learning', 'due', 'review', 'total'];
  const cells = (c: QuizCounts) => [c.new, c.learning, c.learningDue, c.review, c.total].map(String);
  const rows = Object.entries(stats.byLesson).map(([lesson, counts]) => [lesson, ...cells(counts)]);
  rows.push(['all', ...cells(stats)]);
  const width = Math.max(...[header, ...rows].map((row) => row[0]!.length));
  const line = (row: string[]) =>
    [
      row[0]!.padEnd(width),
      ...row.slice(1).map((cell, index) => cell.padStart(header[index + 1]!.length)),
    ].join('  ');
  const text = countsText(stats);
  const summary = `${text.new} · ${text.learning} · ${text.review} · ${stats.total} cards\n`;
  const legend =
    'new: never seen (within today’s limit) · learning: in their first steps (due: shown again now) · review: due today\n';
  return `${summary}\n${[header, ...rows].map(line).join('\n')}\n\n${legend}`;
}
