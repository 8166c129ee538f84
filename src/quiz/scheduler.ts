import {
  createEmptyCard,
  type FSRS,
  type Card as FsrsCard,
  type Grade as FsrsGrade,
  fsrs,
  generatorParameters,
  State,
} from 'ts-fsrs';
import type { Card } from './cards.js';
import { type QuizState, RATING_NAMES, type StateName, type StoredCard } from './state.js';

/** Again, Hard, Good, Easy — Anki's keys 1 to 4. */
export type Grade = 1 | 2 | 3 | 4;
export const AGAIN: Grade = 1;
export const HARD: Grade = 2;
export const GOOD: Grade = 3;
export const EASY: Grade = 4;

export interface SchedulerOptions {
  /** Spread due dates a little so cards learned together do not stay together; off in tests. */
  enableFuzz?: boolean;
  /** New cards introduced per local day, across all topics (Anki's default is 20). */
  newPerDay?: number;
  /** When nothing is due, a learning card due within this many minutes is shown early (Anki: 20). */
  learnAheadMinutes?: number;
}

export interface QueueCounts {
  new: number;
  learning: number;
  review: number;
}

export interface QuizStats extends QueueCounts {
  total: number;
  byLesson: Record<string, QueueCounts & { total: number }>;
}

/** The topic that selects the interview drills rather than one lesson's cards. */
export const DRILLS_TOPIC = 'drills';

/** What the learner's answer suggests: Good when right, Again when wrong. */
export function gradeForAnswer(correct: boolean): Grade {
  return correct ? GOOD : AGAIN;
}

/** A drill's suggested grade from the share of rubric items the learner's answer named. */
export function gradeForRubric(ticked: number, total: number): Grade {
  const share = total === 0 ? 0 : ticked / total;
  if (share < 0.5) return AGAIN;
  if (share < 0.75) return HARD;
  return GOOD;
}

/** Cards of one topic: a lesson id, `drills`, or every card when no topic is given. */
export function cardsForTopic(cards: readonly Card[], topic: string | undefined): Card[] {
  if (topic === undefined) return [...cards];
  if (topic === DRILLS_TOPIC) return cards.filter((card) => card.format === 'drill');
  return cards.filter((card) => card.lesson === topic);
}

export class Scheduler {
  readonly newPerDay: number;
  private readonly learnAheadMs: number;
  private readonly fsrs: FSRS;

  constructor(options: SchedulerOptions = {}) {
    this.newPerDay = options.newPerDay ?? 20;
    this.learnAheadMs = (options.learnAheadMinutes ?? 20) * 60_000;
    this.fsrs = fsrs(generatorParameters({ enable_fuzz: options.enableFuzz ?? true }));
  }

  /** New cards still allowed today: the daily limit minus the cards first answered since local midnight. */
  newLeftToday(state: QuizState, now: Date): number {
    const start = startOfLocalDay(now).getTime();
    const end = startOfLocalDay(new Date(start + 36 * 3_600_000)).getTime();
    const firstSeen = new Map<string, number>();
    for (const entry of state.log) {
      const time = Date.parse(entry.time);
      const known = firstSeen.get(entry.card);
      if (known === undefined || time < known) firstSeen.set(entry.card, time);
    }
    let introduced = 0;
    for (const time of firstSeen.values()) if (time >= start && time < end) introduced++;
    return Math.max(0, this.newPerDay - introduced);
  }

  /** New (within today's limit), Learning due and Review due, as in Anki's header. */
  counts(cards: readonly Card[], state: QuizState, now: Date): QueueCounts {
    const queues = this.queues(cards, state, now);
    return {
      new: Math.min(queues.fresh.length, this.newLeftToday(state, now)),
      learning: queues.learning.length,
      review: queues.review.length,
    };
  }

  stats(cards: readonly Card[], state: QuizState, now: Date): QuizStats {
    const byLesson: QuizStats['byLesson'] = {};
    for (const card of cards) byLesson[card.lesson] ??= { new: 0, learning: 0, review: 0, total: 0 };
    for (const lesson of Object.keys(byLesson)) {
      const ofLesson = cards.filter((card) => card.lesson === lesson);
      byLesson[lesson] = { ...this.counts(ofLesson, state, now), total: ofLesson.length };
    }
    return { ...this.counts(cards, state, now), total: cards.length, byLesson };
  }

  /** The card to show now: learning due, then reviews due, then new ones within the limit, then learning ahead. */
  next(cards: readonly Card[], state: QuizState, now: Date): Card | undefined {
    const queues = this.queues(cards, state, now);
    const fresh = this.newLeftToday(state, now) > 0 ? queues.fresh[0] : undefined;
    return queues.learning[0] ?? queues.review[0] ?? fresh ?? queues.ahead[0];
  }

  /** When the next already-seen card of these falls due, for "come back at …". */
  nextDue(cards: readonly Card[], state: QuizState): Date | undefined {
    let soonest: number | undefined;
    for (const card of cards) {
      const stored = state.cards[card.id];
      if (!stored) continue;
      const due = Date.parse(stored.due);
      if (soonest === undefined || due < soonest) soonest = due;
    }
    return soonest === undefined ? undefined : new Date(soonest);
  }

  /** Records one answer: the card's next FSRS state and a log entry. Returns a new state. */
  review(state: QuizState, cardId: string, grade: Grade, now: Date, elapsedMs = 0): QuizState {
    const stored = state.cards[cardId];
    const current = stored ? fromStored(stored) : createEmptyCard(now);
    const { card } = this.fsrs.next(current, now, grade as FsrsGrade);
    return {
      ...state,
      cards: { ...state.cards, [cardId]: toStored(card) },
      log: [
        ...state.log,
        {
          card: cardId,
          rating: RATING_NAMES[grade - 1]!,
          time: now.toISOString(),
          elapsedMs: Math.max(0, Math.round(elapsedMs)),
        },
      ],
    };
  }

  private queues(cards: readonly Card[], state: QuizState, now: Date) {
    const time = now.getTime();
    const due = (card: Card) => Date.parse(state.cards[card.id]!.due);
    const byDue = (a: Card, b: Card) => due(a) - due(b);
    const seen = cards.filter((card) => state.cards[card.id] !== undefined);
    const learningCards = seen.filter((card) => {
      const name = state.cards[card.id]!.state;
      return name === 'Learning' || name === 'Relearning';
    });
    return {
      fresh: cards.filter((card) => state.cards[card.id] === undefined && ready(card, state)),
      learning: learningCards.filter((card) => due(card) <= time).sort(byDue),
      review: seen
        .filter((card) => state.cards[card.id]!.state === 'Review' && due(card) <= time)
        .sort(byDue),
      ahead: learningCards.filter((card) => due(card) <= time + this.learnAheadMs).sort(byDue),
    };
  }
}

/** A follow-up drill waits until the drill it follows has been answered at least once. */
function ready(card: Card, state: QuizState): boolean {
  return card.format !== 'drill' || card.follows === undefined || state.cards[card.follows] !== undefined;
}

function startOfLocalDay(date: Date): Date {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate());
}

function fromStored(stored: StoredCard): FsrsCard {
  return {
    ...stored,
    due: new Date(stored.due),
    state: State[stored.state],
    last_review: stored.last_review === undefined ? undefined : new Date(stored.last_review),
  };
}

function toStored(card: FsrsCard): StoredCard {
  const stored: StoredCard = {
    due: card.due.toISOString(),
    stability: card.stability,
    difficulty: card.difficulty,
    elapsed_days: card.elapsed_days,
    scheduled_days: card.scheduled_days,
    learning_steps: card.learning_steps,
    reps: card.reps,
    lapses: card.lapses,
    state: State[card.state] as StateName,
  };
  if (card.last_review) stored.last_review = card.last_review.toISOString();
  return stored;
}
