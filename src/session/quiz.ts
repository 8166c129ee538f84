/**
 * The quiz part of a session: which cards, in which order, the counts every screen shows the same
 * way, and a review run that saves each grade before the next card.
 */
import { type Card, loadCards } from '../quiz/cards.js';
import { cardsForTopic, type Grade, Scheduler } from '../quiz/scheduler.js';
import { loadQuizState, type QuizState, saveQuizState } from '../quiz/state.js';
import type { QuizCounts } from './state.js';

/**
 * Cards with the lessons the learner has met first (read, or practised in an exercise), each group
 * in teaching order: the scheduler introduces new cards in this order, so they follow the learner.
 */
export function cardOrder(
  cards: readonly Card[],
  lessons: readonly string[],
  met: ReadonlySet<string>,
): Card[] {
  const rank = (card: Card) => {
    const index = lessons.indexOf(card.lesson);
    const place = index < 0 ? lessons.length : index;
    return met.has(card.lesson) ? place : lessons.length + 1 + place;
  };
  return cards
    .map((card, index) => ({ card, index }))
    .sort((a, b) => rank(a.card) - rank(b.card) || a.index - b.index)
    .map(({ card }) => card);
}

/** The counts of home, the quiz's header and `quiz --stats`: one rule for all three. */
export function countCards(
  scheduler: Scheduler,
  cards: readonly Card[],
  state: QuizState,
  now: Date,
): QuizCounts {
  const due = scheduler.counts(cards, state, now);
  const learning = cards.filter((card) => {
    const stored = state.cards[card.id];
    return stored?.state === 'Learning' || stored?.state === 'Relearning';
  }).length;
  return { new: due.new, learning, learningDue: due.learning, review: due.review, total: cards.length };
}

/** "New 10 · Learning 9 (2 due) · To review 0": the same words wherever counts are shown. */
export function countsText(counts: QuizCounts): { new: string; learning: string; review: string } {
  const due = counts.learning > 0 ? ` (${counts.learningDue} due)` : '';
  return {
    new: `New ${counts.new}`,
    learning: `Learning ${counts.learning}${due}`,
    review: `To review ${counts.review}`,
  };
}

export interface QuizSource {
  root: string;
  lessons: readonly string[];
  workspaceDir: string;
  /** Lessons the learner has read or practised. */
  met: ReadonlySet<string>;
  topic?: string;
}

export interface QuizSummary {
  answered: number;
  again: number;
  counts: QuizCounts;
}

/**
 * A review session: the cards of a topic and their state. `grade` saves before it resolves; a
 * listener hears every change (for the screen).
 */
export class QuizRun {
  private readonly listeners = new Set<() => void>();
  private answered = 0;
  private again = 0;
  private shownAt: number;
  private saving = false;
  private leave: () => void = () => {};
  turn = 0;
  /** Resolves when the learner leaves the review (q). */
  readonly finished: Promise<void> = new Promise((resolve) => {
    this.leave = resolve;
  });

  private constructor(
    readonly cards: Card[],
    private state: QuizState,
    private readonly source: QuizSource,
    private readonly clock: () => Date,
    /** Said on the quiz screen: a progress file that had to be set aside. */
    readonly notice: string | undefined,
    readonly scheduler: Scheduler,
  ) {
    this.shownAt = clock().getTime();
  }

  static async open(source: QuizSource, clock: () => Date = () => new Date()): Promise<QuizRun> {
    const all = await loadCards(source.root, [...source.lessons]);
    const cards = cardOrder(cardsForTopic(all, source.topic), source.lessons, source.met);
    const loaded = await loadQuizState(source.workspaceDir, clock());
    return new QuizRun(cards, loaded.state, source, clock, loaded.message, new Scheduler());
  }

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  /** The card to show now, or undefined when nothing is due. */
  card(): Card | undefined {
    return this.scheduler.next(this.cards, this.state, this.clock());
  }

  counts(): QuizCounts {
    return countCards(this.scheduler, this.cards, this.state, this.clock());
  }

  nextDue(): Date | undefined {
    return this.scheduler.nextDue(this.cards, this.state);
  }

  get quizState(): QuizState {
    return this.state;
  }

  get topic(): string | undefined {
    return this.source.topic;
  }

  get workspaceDir(): string {
    return this.source.workspaceDir;
  }

  /** Record a grade and save it; a second grade while one is saved is ignored. Rejects when saving fails. */
  async grade(card: Card, grade: Grade): Promise<void> {
    if (this.saving) return;
    this.saving = true;
    const now = this.clock();
    this.state = this.scheduler.review(this.state, card.id, grade, now, now.getTime() - this.shownAt);
    try {
      await saveQuizState(this.source.workspaceDir, this.state);
    } finally {
      this.saving = false;
    }
    this.answered++;
    if (grade === 1) this.again++;
    this.turn++;
    this.shownAt = this.clock().getTime();
    for (const listener of this.listeners) listener();
  }

  /** The learner leaves: the screen closes. */
  quit(): void {
    this.leave();
  }

  summary(): QuizSummary {
    return { answered: this.answered, again: this.again, counts: this.counts() };
  }
}

/** "10 cards answered, 3 to see again · New 10 · Learning 9 (2 due) · To review 0". */
export function summaryText(summary: QuizSummary): string {
  const text = countsText(summary.counts);
  const done =
    summary.answered === 0
      ? 'no card answered'
      : `${summary.answered} card${summary.answered === 1 ? '' : 's'} answered${summary.again > 0 ? `, ${summary.again} to see again` : ''}`;
  return `quiz: ${done} · ${text.new} · ${text.learning} · ${text.review} — your progress is saved`;
}

/** Counts for home without opening a review. */
export async function quizCounts(
  source: QuizSource,
  now = new Date(),
): Promise<{ counts: QuizCounts; notice?: string }> {
  const run = await QuizRun.open(source, () => now);
  return { counts: run.counts(), notice: run.notice };
}
