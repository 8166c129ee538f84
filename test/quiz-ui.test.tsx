import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Card } from '../src/quiz/cards.js';
import { QuizSession, type QuizSessionProps } from '../src/ui/quiz/QuizSession.js';
import { shuffledOrder } from '../src/ui/quiz/step-order.js';

const ENTER = '\r';
const SPACE = ' ';
const UP = '\u001B[A';
const DOWN = '\u001B[B';
const RIGHT = '\u001B[C';

const source = { file: 'content/quiz/test.yaml', line: 1 };
const now = new Date('2025-05-05T12:00:00Z');

const cards = {
  single: {
    id: 'lu-two-likes',
    lesson: 'lost-updates',
    format: 'single',
    question: 'Two interleaved likes on 10: what can be stored?',
    choices: ['Only 12', '11 or 12', 'Only 11'],
    answer: 1,
    explanation: 'Both can read 10 and write 11.',
    source,
  },
  multiple: {
    id: 'at-tools',
    lesson: 'atomics',
    format: 'multiple',
    question: 'Which are atomic read-modify-writes?',
    choices: ['Atomics.add', 'view[0]++', 'Atomics.compareExchange'],
    answers: [0, 2],
    explanation: 'Plain ++ is a load and a store.',
    source,
  },
  truefalse: {
    id: 'mx-go-reentrant',
    lesson: 'mutexes',
    format: 'truefalse',
    statement: "Go's sync.Mutex is reentrant.",
    answer: false,
    explanation: 'It is not, on purpose.',
    source,
  },
  matrix: {
    id: 'is-matrix',
    lesson: 'isolation',
    format: 'matrix',
    question: 'In PostgreSQL, at Read Committed:',
    rows: ['Dirty read', 'Non-repeatable read'],
    columns: ['occurs', 'prevented'],
    answer: [1, 0],
    explanation: 'Each statement sees committed data only, but a fresh snapshot each time.',
    source,
  },
  order: {
    id: 'lu-increment-steps',
    lesson: 'lost-updates',
    format: 'order',
    question: 'Order the steps of x++:',
    steps: ['load x', 'add one', 'store x', 'next statement'],
    explanation: 'A read-modify-write is three steps.',
    source,
  },
  bug: {
    id: 'mx-finally',
    lesson: 'mutexes',
    format: 'spot-the-bug',
    question: 'Which line leaks the lock?',
    code: 'const release = await lock.acquire();\nawait work();\nrelease();',
    language: 'ts',
    answer: [3],
    fix: 'try { await work(); } finally { release(); }',
    explanation: 'A throw from work() skips the release.',
    source,
  },
  recall: {
    id: 'lv-coffman',
    lesson: 'liveness',
    format: 'recall',
    question: 'Name the four Coffman conditions.',
    model: 'Mutual exclusion, hold and wait, no preemption, circular wait.',
    explanation: 'Break any one to prevent deadlock.',
    source,
  },
  drill: {
    id: 'dr-seat',
    lesson: 'db-locking',
    format: 'drill',
    prompt: 'Two users book seat A1 at once. What happens?',
    rubric: ['check-then-act', 'conditional UPDATE', 'unique index', 'test with N requests'],
    model: 'Both see it free; let the database decide.',
    explanation: 'Only the shared store can arbitrate.',
    source,
  },
} satisfies Record<string, Card>;

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

async function mount(card: Card | undefined, extra: Partial<QuizSessionProps> = {}) {
  const onGrade = vi.fn();
  const onExit = vi.fn();
  const props: QuizSessionProps = {
    card,
    turn: 0,
    counts: { new: 7, learning: 2, learningDue: 1, review: 5, total: 40 },
    now,
    onGrade,
    onExit,
    ...extra,
  };
  const app = render(<QuizSession {...props} />);
  // Keys written before the session subscribes to stdin are lost: wait until it listens.
  if (props.isActive === false) await tick();
  else await vi.waitFor(() => expect(app.stdin.listenerCount('readable')).toBeGreaterThan(0));
  const press = async (...keys: string[]) => {
    for (const key of keys) {
      app.stdin.write(key);
      await tick();
    }
  };
  const frame = () => app.lastFrame() ?? '';
  return { app, press, frame, onGrade, onExit, props };
}

afterEach(() => {
  cleanup();
});

describe('the session screen', () => {
  it('shows the counts and the topic in the header', async () => {
    const { frame } = await mount(cards.single, { topic: 'lost-updates' });
    await expect.poll(frame).toContain('lost-updates');
    await expect.poll(frame).toMatch(/New 7 · Learning 2 \(1 due\) · To review 5/);
  });

  it('leaves on q', async () => {
    const { press, onExit, onGrade } = await mount(cards.single);
    await press('q');
    expect(onExit).toHaveBeenCalledTimes(1);
    expect(onGrade).not.toHaveBeenCalled();
  });

  it('says when the next card is due when nothing is due now', async () => {
    const { frame } = await mount(undefined, { nextDue: new Date(now.getTime() + 9 * 60_000) });
    await expect.poll(frame).toContain('Nothing is due right now.');
    await expect.poll(frame).toContain('in 9 min');
  });

  it('grades a card once, however many keys follow', async () => {
    const { press, onGrade } = await mount(cards.truefalse);
    await press('f', ENTER, '4', SPACE);
    expect(onGrade).toHaveBeenCalledTimes(1);
    expect(onGrade).toHaveBeenCalledWith(cards.truefalse, 3);
  });

  it('starts the card afresh on a new turn, even when the same card comes back', async () => {
    const { app, press, frame, props } = await mount(cards.truefalse);
    await press('t');
    await expect.poll(frame).toContain('✗ Wrong');
    app.rerender(<QuizSession {...props} turn={1} />);
    await expect.poll(frame).toContain('t = true · f = false');
    expect(frame()).not.toContain('Wrong');
  });

  it('reads no keys when told not to', async () => {
    const { press, frame, onExit } = await mount(cards.single, { isActive: false });
    await press('2', 'q');
    expect(frame()).not.toContain('Right');
    expect(onExit).not.toHaveBeenCalled();
  });
});

describe('single choice', () => {
  it('right by number key: shows right, the explanation, the lesson and suggests Good; Enter accepts', async () => {
    const { press, frame, onGrade } = await mount(cards.single);
    await press('2');
    await expect.poll(frame).toContain('✓ Right');
    await expect.poll(frame).toContain('Both can read 10 and write 11.');
    await expect.poll(frame).toMatch(/Read more: .*\blearn lost-updates/);
    await expect.poll(frame).toContain('Suggested: Good');
    expect(onGrade).not.toHaveBeenCalled();
    await press(ENTER);
    expect(onGrade).toHaveBeenCalledWith(cards.single, 3);
  });

  it('wrong: marks both answers, suggests Again; Space accepts', async () => {
    const { press, frame, onGrade } = await mount(cards.single);
    await press('3');
    await expect.poll(frame).toContain('✗ Wrong');
    await expect.poll(frame).toContain('Only 11  ✗ your answer');
    await expect.poll(frame).toContain('11 or 12  ✓ right answer');
    await expect.poll(frame).toContain('Suggested: Again');
    await press(SPACE);
    expect(onGrade).toHaveBeenCalledWith(cards.single, 1);
  });

  it('chooses with arrows and Enter, and a suggestion can be overridden with 1–4', async () => {
    const { press, frame, onGrade } = await mount(cards.single);
    await press(DOWN, DOWN, UP, ENTER);
    await expect.poll(frame).toContain('✓ Right');
    await press('2');
    expect(onGrade).toHaveBeenCalledWith(cards.single, 2);
  });
});

describe('multiple choice', () => {
  it('right when exactly the right set is toggled', async () => {
    const { press, frame } = await mount(cards.multiple);
    await expect.poll(frame).toContain('Choose all that apply.');
    await press('1', '2', '3', '2', ENTER);
    await expect.poll(frame).toContain('✓ Right');
  });

  it('wrong when one is missed, and says which', async () => {
    const { press, frame, onGrade } = await mount(cards.multiple);
    await press(SPACE, ENTER);
    await expect.poll(frame).toContain('✗ Wrong');
    await expect.poll(frame).toContain('Atomics.compareExchange  ✓ missed');
    await press(ENTER);
    expect(onGrade).toHaveBeenCalledWith(cards.multiple, 1);
  });
});

describe('true/false', () => {
  it('f is right for a false statement, t is wrong', async () => {
    const right = await mount(cards.truefalse);
    await right.press('f');
    await expect.poll(right.frame).toContain('✓ Right');
    const wrong = await mount(cards.truefalse);
    await wrong.press('t');
    await expect.poll(wrong.frame).toContain('✗ Wrong');
    await expect.poll(wrong.frame).toContain('You said true; it is false.');
  });
});

describe('matrix', () => {
  it('asks for every row before submitting, then grades the whole grid', async () => {
    const { press, frame } = await mount(cards.matrix);
    await press('2', ENTER);
    await expect.poll(frame).toContain('Choose a column for every row first.');
    expect(frame()).not.toContain('Right');
    await press('1', ENTER);
    await expect.poll(frame).toContain('✓ Right');
  });

  it('wrong rows name the right column; arrows move and choose', async () => {
    const { press, frame } = await mount(cards.matrix);
    await press(RIGHT, DOWN, RIGHT, RIGHT, ENTER);
    await expect.poll(frame).toContain('✗ Wrong');
    await expect.poll(frame).toMatch(/Dirty read.*✗ prevented/);
    await expect.poll(frame).toMatch(/Non-repeatable read.*✗ occurs/);
  });
});

/** Keys that sort the shuffled steps: walk to each step, pick it up, carry it up into place. */
function solvingKeys(order: number[]): string[] {
  const keys: string[] = [];
  const current = [...order];
  let cursor = 0;
  for (let target = 0; target < current.length; target++) {
    const from = current.indexOf(target);
    keys.push(
      ...Array<string>(from - cursor).fill(DOWN),
      SPACE,
      ...Array<string>(from - target).fill(UP),
      SPACE,
    );
    current.splice(from, 1);
    current.splice(target, 0, target);
    cursor = target;
  }
  return keys;
}

describe('order the steps', () => {
  it('starts shuffled, the same way each time, never already solved', () => {
    const order = shuffledOrder(cards.order.id, 4);
    expect(order).toEqual(shuffledOrder(cards.order.id, 4));
    expect([...order].sort()).toEqual([0, 1, 2, 3]);
    expect(order).not.toEqual([0, 1, 2, 3]);
    // Over many cards and lengths: always a permutation, never the solved order.
    for (let n = 2; n <= 7; n++) {
      const solved = Array.from({ length: n }, (_, i) => i);
      for (let card = 0; card < 200; card++) {
        const shuffled = shuffledOrder(`card-${card}`, n);
        expect([...shuffled].sort()).toEqual(solved);
        expect(shuffled).not.toEqual(solved);
      }
    }
  });

  it('right after moving the steps into order', async () => {
    const { press, frame } = await mount(cards.order);
    const first = cards.order.steps[shuffledOrder(cards.order.id, 4)[0]!]!;
    await expect.poll(frame).toContain(`1. ${first}`);
    await press(...solvingKeys(shuffledOrder(cards.order.id, 4)), ENTER);
    await expect.poll(frame).toContain('✓ Right');
    await expect.poll(frame).toMatch(/1\. load x {2}✓/);
  });

  it('wrong when submitted shuffled, showing the right order', async () => {
    const { press, frame } = await mount(cards.order);
    await press(ENTER);
    await expect.poll(frame).toContain('✗ Wrong');
    await expect.poll(frame).toContain('The right order:');
  });
});

describe('spot the bug', () => {
  it('numbers the lines, needs a mark, and is right when the buggy line is marked', async () => {
    const { press, frame } = await mount(cards.bug);
    await expect.poll(frame).toMatch(/1 │ const release = await lock.acquire\(\);/);
    await expect.poll(frame).toMatch(/3 │ release\(\);/);
    await press(ENTER);
    await expect.poll(frame).toContain('Mark at least one line first.');
    await press(DOWN, DOWN, SPACE, ENTER);
    await expect.poll(frame).toContain('✓ Right');
    await expect.poll(frame).toContain('Fix: try { await work(); } finally { release(); }');
  });

  it('wrong when a clean line is marked instead', async () => {
    const { press, frame } = await mount(cards.bug);
    await press('2', ENTER);
    await expect.poll(frame).toContain('✗ Wrong');
    await expect.poll(frame).toContain('✗ not a bug');
    await expect.poll(frame).toContain('✗ missed bug');
  });
});

describe('free recall', () => {
  it('reveals the model answer on Space and waits for the learner’s own 1–4', async () => {
    const { press, frame, onGrade } = await mount(cards.recall);
    expect(frame()).not.toContain('Mutual exclusion');
    await press(SPACE);
    await expect.poll(frame).toContain('Mutual exclusion, hold and wait, no preemption, circular wait.');
    await expect.poll(frame).toContain('1 Again · 2 Hard · 3 Good · 4 Easy');
    await press(ENTER);
    expect(onGrade).not.toHaveBeenCalled();
    await press('2');
    expect(onGrade).toHaveBeenCalledWith(cards.recall, 2);
  });
});

describe('interview drill', () => {
  it('reveals the rubric, ticks items, then shows the model answer with a suggested grade', async () => {
    const { press, frame, onGrade } = await mount(cards.drill);
    expect(frame()).not.toContain('conditional UPDATE');
    await press(ENTER);
    await expect.poll(frame).toContain('[ ] 2. conditional UPDATE');
    await press('1', '2', '4');
    await expect.poll(frame).toContain('[x] 2. conditional UPDATE');
    expect(frame()).not.toContain('let the database decide');
    await press(ENTER);
    await expect.poll(frame).toContain('Both see it free; let the database decide.');
    await expect.poll(frame).toContain('named 3 of the rubric items');
    await expect.poll(frame).toContain('Suggested: Good');
    await press(ENTER);
    expect(onGrade).toHaveBeenCalledWith(cards.drill, 3);
  });

  it('suggests Again when little was named, and the learner can override', async () => {
    const { press, frame, onGrade } = await mount(cards.drill);
    await press(SPACE, SPACE, ENTER);
    await expect.poll(frame).toContain('named 1 of the rubric items');
    await expect.poll(frame).toContain('Suggested: Again');
    await press('3');
    expect(onGrade).toHaveBeenCalledWith(cards.drill, 3);
  });
});
