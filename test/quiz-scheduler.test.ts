import { describe, expect, it } from 'vitest';
import type { Card } from '../src/quiz/cards.js';
import {
  AGAIN,
  cardsForTopic,
  EASY,
  GOOD,
  gradeForAnswer,
  gradeForRubric,
  HARD,
  Scheduler,
} from '../src/quiz/scheduler.js';
import { emptyQuizState, type QuizState } from '../src/quiz/state.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** Local 10:00 on a fixed day, so "today" does not depend on the machine's time zone. */
const morning = new Date(2025, 0, 15, 10, 0, 0);
const at = (ms: number) => new Date(morning.getTime() + ms);

function recall(id: string, lesson = 'mutexes'): Card {
  return {
    id,
    lesson,
    format: 'recall',
    question: `${id}?`,
    model: 'M.',
    explanation: 'E.',
    source: { file: 'content/quiz/x.yaml', line: 1 },
  };
}

function drill(id: string, lesson: string): Card {
  return {
    id,
    lesson,
    format: 'drill',
    prompt: 'P?',
    rubric: ['a', 'b', 'c', 'd'],
    model: 'M.',
    explanation: 'E.',
    source: { file: 'content/quiz/drills.yaml', line: 1 },
  };
}

const scheduler = new Scheduler({ enableFuzz: false });
const due = (state: QuizState, id: string) => new Date(state.cards[id]!.due).getTime();

describe('answering a new card', () => {
  it('brings it back later after Good than after Again, and both later than now', () => {
    const good = scheduler.review(emptyQuizState(), 'mx-a', GOOD, morning);
    const again = scheduler.review(emptyQuizState(), 'mx-a', AGAIN, morning);
    expect(due(again, 'mx-a')).toBeGreaterThan(morning.getTime());
    expect(due(good, 'mx-a')).toBeGreaterThan(due(again, 'mx-a'));
    expect(good.cards['mx-a']!.state).toBe('Learning');
  });

  it('graduates to Review with a due date days away after Good twice, and Easy goes further than Hard', () => {
    const first = scheduler.review(emptyQuizState(), 'mx-a', GOOD, morning);
    const second = scheduler.review(first, 'mx-a', GOOD, new Date(due(first, 'mx-a')));
    expect(second.cards['mx-a']!.state).toBe('Review');
    expect(due(second, 'mx-a') - morning.getTime()).toBeGreaterThanOrEqual(DAY);
    const hard = scheduler.review(second, 'mx-a', HARD, new Date(due(second, 'mx-a')));
    const easy = scheduler.review(second, 'mx-a', EASY, new Date(due(second, 'mx-a')));
    expect(due(easy, 'mx-a')).toBeGreaterThan(due(hard, 'mx-a'));
  });

  it('logs the card, the rating, the time and how long it was on screen', () => {
    const state = scheduler.review(emptyQuizState(), 'mx-a', HARD, morning, 4321.4);
    expect(state.log).toEqual([
      { card: 'mx-a', rating: 'Hard', time: morning.toISOString(), elapsedMs: 4321 },
    ]);
  });

  it('does not change the state it was given', () => {
    const before = emptyQuizState();
    scheduler.review(before, 'mx-a', GOOD, morning);
    expect(before).toEqual(emptyQuizState());
  });
});

describe('queues and counts', () => {
  const cards = ['mx-a', 'mx-b', 'mx-c', 'mx-d'].map((id) => recall(id));

  it('counts every unseen card as new, within the daily limit', () => {
    expect(scheduler.counts(cards, emptyQuizState(), morning)).toEqual({ new: 4, learning: 0, review: 0 });
    const limited = new Scheduler({ enableFuzz: false, newPerDay: 2 });
    expect(limited.counts(cards, emptyQuizState(), morning)).toEqual({ new: 2, learning: 0, review: 0 });
  });

  it('counts a learning card only once it is due, and a review card only once it is due', () => {
    let state = scheduler.review(emptyQuizState(), 'mx-a', AGAIN, morning);
    expect(scheduler.counts(cards, state, morning)).toEqual({ new: 3, learning: 0, review: 0 });
    expect(scheduler.counts(cards, state, new Date(due(state, 'mx-a')))).toMatchObject({ learning: 1 });

    state = scheduler.review(emptyQuizState(), 'mx-b', GOOD, morning);
    state = scheduler.review(state, 'mx-b', GOOD, new Date(due(state, 'mx-b')));
    const reviewDue = due(state, 'mx-b');
    expect(scheduler.counts(cards, state, new Date(reviewDue - MINUTE))).toMatchObject({
      review: 0,
      learning: 0,
    });
    expect(scheduler.counts(cards, state, new Date(reviewDue))).toMatchObject({ review: 1, learning: 0 });
  });

  it('shows learning cards due first, then reviews due, then new cards in bank order', () => {
    let state = scheduler.review(emptyQuizState(), 'mx-b', GOOD, morning);
    state = scheduler.review(state, 'mx-b', GOOD, new Date(due(state, 'mx-b')));
    const reviewDue = new Date(due(state, 'mx-b'));
    state = scheduler.review(state, 'mx-c', AGAIN, new Date(reviewDue.getTime() - 5 * MINUTE));

    expect(scheduler.next(cards, state, reviewDue)?.id).toBe('mx-c');
    state = scheduler.review(state, 'mx-c', EASY, reviewDue);
    expect(scheduler.next(cards, state, reviewDue)?.id).toBe('mx-b');
    state = scheduler.review(state, 'mx-b', GOOD, reviewDue);
    expect(scheduler.next(cards, state, reviewDue)?.id).toBe('mx-a');
  });

  it('shows a learning card early when nothing else is left, but not one due after the learn-ahead window', () => {
    const one = [recall('mx-a')];
    const again = scheduler.review(emptyQuizState(), 'mx-a', AGAIN, morning);
    expect(scheduler.next(one, again, morning)?.id).toBe('mx-a');
    const strict = new Scheduler({ enableFuzz: false, learnAheadMinutes: 0 });
    expect(strict.next(one, again, morning)).toBeUndefined();
    expect(strict.nextDue(one, again)).toEqual(new Date(due(again, 'mx-a')));
  });
});

describe('a follow-up drill', () => {
  const parent = drill('it-lock-service', 'interview-technique');
  const followUp = {
    ...drill('it-lock-failover', 'interview-technique'),
    follows: 'it-lock-service',
  } as Card;
  const cards = [followUp, parent];

  it('is not offered, nor counted as new, before the drill it follows was answered', () => {
    expect(scheduler.counts(cards, emptyQuizState(), morning)).toEqual({ new: 1, learning: 0, review: 0 });
    expect(scheduler.next(cards, emptyQuizState(), morning)?.id).toBe('it-lock-service');
  });

  it('is offered once that drill has been answered, whatever the grade', () => {
    const state = scheduler.review(emptyQuizState(), 'it-lock-service', AGAIN, morning);
    expect(scheduler.counts(cards, state, morning)).toMatchObject({ new: 1 });
    const later = scheduler.review(state, 'it-lock-service', GOOD, new Date(due(state, 'it-lock-service')));
    expect(scheduler.next(cards, later, new Date(due(state, 'it-lock-service')))?.id).toBe(
      'it-lock-failover',
    );
  });
});

describe('the daily limit on new cards', () => {
  const cards = ['mx-a', 'mx-b', 'mx-c', 'mx-d'].map((id) => recall(id));
  const limited = new Scheduler({ enableFuzz: false, newPerDay: 2, learnAheadMinutes: 0 });

  it('stops offering new cards once the day’s quota is answered, and offers them again the next local day', () => {
    let state = emptyQuizState();
    state = limited.review(state, limited.next(cards, state, morning)!.id, EASY, morning);
    state = limited.review(state, limited.next(cards, state, morning)!.id, EASY, at(MINUTE));
    expect(limited.newLeftToday(state, at(2 * MINUTE))).toBe(0);
    expect(limited.counts(cards, state, at(2 * MINUTE)).new).toBe(0);
    expect(limited.next(cards, state, at(2 * MINUTE))).toBeUndefined();

    const tomorrow = new Date(2025, 0, 16, 0, 1);
    expect(limited.counts(cards, state, tomorrow).new).toBe(2);
    expect(limited.next(cards, state, tomorrow)?.id).toBe('mx-c');
  });

  it('counts a card once however many times it was answered today, and not at all on a later day', () => {
    let state = limited.review(emptyQuizState(), 'mx-a', AGAIN, morning);
    state = limited.review(state, 'mx-a', AGAIN, at(MINUTE));
    state = limited.review(state, 'mx-a', AGAIN, at(2 * MINUTE));
    expect(limited.newLeftToday(state, at(3 * MINUTE))).toBe(1);
    state = limited.review(state, 'mx-a', GOOD, at(DAY));
    expect(limited.newLeftToday(state, at(DAY))).toBe(2);
  });
});

describe('topics', () => {
  const cards = [recall('mx-a', 'mutexes'), recall('at-a', 'atomics'), drill('dr-a', 'mutexes')];

  it('keeps one lesson’s cards, drills included; `drills` keeps only drills; no topic keeps all', () => {
    expect(cardsForTopic(cards, 'mutexes').map((card) => card.id)).toEqual(['mx-a', 'dr-a']);
    expect(cardsForTopic(cards, 'drills').map((card) => card.id)).toEqual(['dr-a']);
    expect(cardsForTopic(cards, undefined)).toHaveLength(3);
  });

  it('counts and schedules only the topic’s cards, with stats per lesson', () => {
    const state = scheduler.review(emptyQuizState(), 'at-a', AGAIN, morning);
    const later = at(10 * MINUTE);
    expect(scheduler.next(cardsForTopic(cards, 'mutexes'), state, later)?.id).toBe('mx-a');
    expect(scheduler.counts(cardsForTopic(cards, 'atomics'), state, later)).toEqual({
      new: 0,
      learning: 1,
      review: 0,
    });
    expect(scheduler.stats(cards, state, later)).toEqual({
      new: 2,
      learning: 1,
      review: 0,
      total: 3,
      byLesson: {
        mutexes: { new: 2, learning: 0, review: 0, total: 2 },
        atomics: { new: 0, learning: 1, review: 0, total: 1 },
      },
    });
  });
});

describe('suggested grades', () => {
  it('maps right to Good and wrong to Again', () => {
    expect(gradeForAnswer(true)).toBe(GOOD);
    expect(gradeForAnswer(false)).toBe(AGAIN);
  });

  it('suggests from the share of rubric items named', () => {
    expect(gradeForRubric(0, 6)).toBe(AGAIN);
    expect(gradeForRubric(2, 6)).toBe(AGAIN);
    expect(gradeForRubric(3, 6)).toBe(HARD);
    expect(gradeForRubric(5, 6)).toBe(GOOD);
    expect(gradeForRubric(6, 6)).toBe(GOOD);
  });
});
