import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadCourse } from '../src/course/course.js';
import { loadLessons } from '../src/course/lessons.js';
import { type Card, loadCards } from '../src/quiz/cards.js';
import { acceptedOrders, isAcceptedOrder, puzzleOrder } from '../src/quiz/order.js';
import { layoutTimeline, MARK } from '../src/report/timeline.js';

const root = path.resolve(import.meta.dirname, '..');
const course = await loadCourse(root);
const lessons = await loadLessons(root, course.lessons);
const cards = await loadCards(root, course.lessons);
const lessonIds = new Set(course.lessons);
const exerciseIds = new Set(course.exercises.map((exercise) => exercise.id));

/** Every piece of prose a learner reads on a card. */
function textsOf(card: Card): string[] {
  const common = [card.explanation];
  switch (card.format) {
    case 'single':
    case 'multiple':
      return [...common, card.question, ...card.choices];
    case 'truefalse':
      return [...common, card.statement];
    case 'matrix':
      return [...common, card.question, ...card.rows, ...card.columns];
    case 'order':
      return [...common, card.question, ...card.steps];
    case 'spot-the-bug':
      return [...common, card.question, card.fix];
    case 'recall':
      return [...common, card.question, card.model];
    case 'drill':
      return [...common, card.prompt, card.model, ...card.rubric];
  }
}

const statements = course.exercises.map((exercise) => ({
  where: `exercises/${exercise.id}/README.md`,
  text: readFileSync(path.join(root, 'exercises', exercise.id, 'README.md'), 'utf8'),
}));
const prose = [
  ...lessons.map((lesson) => ({ where: `content/lessons/${lesson.id}.md`, text: lesson.body })),
  ...cards.flatMap((card) => textsOf(card).map((text) => ({ where: `card ${card.id}`, text }))),
  ...statements,
];

/** The ids a cross-reference names: "lesson `isolation`", "lessons `atomics` and `db-locking`". */
function lessonReferences(text: string): string[] {
  const ids: string[] = [];
  for (const match of text.matchAll(/\blessons? ((?:`[^`]+`(?:,? (?:and |or )?)?)+)/g)) {
    ids.push(...[...match[1]!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!));
  }
  return ids;
}

const linesStarting = (text: string, prefix: string) =>
  text.split('\n').filter((line) => line.startsWith(prefix));
const backticked = (line: string) => [...line.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);

describe('the quiz bank', () => {
  it('has at least 220 items, and at least 12 for every lesson', () => {
    expect(cards.length).toBeGreaterThanOrEqual(220);
    for (const lesson of course.lessons) {
      expect(cards.filter((card) => card.lesson === lesson).length, lesson).toBeGreaterThanOrEqual(12);
    }
  });

  it('gives every card a unique id and an existing lesson', () => {
    expect(new Set(cards.map((card) => card.id)).size).toBe(cards.length);
    for (const card of cards) expect(lessonIds, card.id).toContain(card.lesson);
  });

  it('chains follow-up drills onto drills of the same lesson, met before them', () => {
    const order = cards.map((card) => card.id);
    const followUps = cards.filter((card) => card.format === 'drill' && card.follows !== undefined);
    expect(followUps.length).toBeGreaterThanOrEqual(2);
    for (const card of followUps) {
      const parent = cards.find((other) => card.format === 'drill' && other.id === card.follows);
      expect(parent?.format, card.id).toBe('drill');
      expect(parent?.lesson, card.id).toBe(card.lesson);
      expect(order.indexOf(parent!.id), card.id).toBeLessThan(order.indexOf(card.id));
    }
  });
});

describe('every order card', () => {
  const orderCards = cards.filter((card) => card.format === 'order');

  it.each(orderCards.map((card) => [card.id, card] as const))('%s accepts only valid orders', (_id, card) => {
    if (card.format !== 'order') return;
    const accepted = acceptedOrders(card);
    const all = card.steps.map((_, i) => i);
    for (const order of accepted) {
      expect([...order].sort((a, b) => a - b)).toEqual(all);
      expect(isAcceptedOrder(card, order)).toBe(true);
    }
    // Ranks start at 0 and climb by one, so "1., 2., 2., 3." on screen means what it says.
    expect(card.ranks[0]).toBe(0);
    card.ranks.slice(1).forEach((rank, i) => {
      expect([card.ranks[i], card.ranks[i]! + 1]).toContain(rank);
    });
    expect(isAcceptedOrder(card, puzzleOrder(card))).toBe(false);
  });

  it.each(orderCards.map((card) => [card.id, card] as const))(
    '%s has no step that is the other branch of an if',
    (_id, card) => {
      if (card.format !== 'order') return;
      // Alternative branches ("On success …" / "On failure …") are not a sequence: merge them into one step.
      for (const step of card.steps)
        expect(step).not.toMatch(/^(otherwise|else|on (success|failure)|if (not|no)\b)/i);
    },
  );
});

describe('cross-references', () => {
  it('name lessons by id, never by a number that shifts when a lesson is added', () => {
    for (const { where, text } of prose) expect(text, where).not.toMatch(/\blessons? \d+\b/i);
  });

  it('"lesson `id`" names a lesson of course.yaml, in lessons, cards and statements', () => {
    let seen = 0;
    for (const { where, text } of prose) {
      for (const id of lessonReferences(text)) {
        seen++;
        expect(lessonIds, `${where}: lesson \`${id}\``).toContain(id);
      }
    }
    expect(seen).toBeGreaterThan(20);
  });

  it('"Read more" lines name lessons or exercises', () => {
    for (const lesson of lessons) {
      for (const line of linesStarting(lesson.body, 'Read more: ')) {
        const exercises = [...line.matchAll(/\bexercise `([^`]+)`/g)].map((m) => m[1]!);
        expect(lessonReferences(line).length + exercises.length, line).toBeGreaterThan(0);
        for (const id of lessonReferences(line)) expect(lessonIds, `${lesson.id}: ${id}`).toContain(id);
        for (const id of exercises) expect(exerciseIds, `${lesson.id}: ${id}`).toContain(id);
      }
    }
  });

  it('"Practise it" lines name exercises, and each lesson has one for every exercise it lists', () => {
    for (const lesson of lessons) {
      const lines = linesStarting(lesson.body, 'Practise it: ');
      const named = lines.flatMap((line) =>
        backticked(line).map((token) => token.replace(/^racelings (check|watch) /, '')),
      );
      for (const id of named) expect(exerciseIds, `${lesson.id}: ${id}`).toContain(id);
      expect(new Set(named), lesson.id).toEqual(new Set(lesson.exercises));
    }
  });
});

describe('every lesson', () => {
  it.each(lessons.map((lesson) => [lesson.id, lesson] as const))(
    '%s ends with its quiz topic and a Sources line',
    (id, lesson) => {
      const paragraphs = lesson.body.split(/\n\n+/);
      expect(paragraphs.at(-1)).toMatch(/^Sources: \S.{40,}/s);
      expect(linesStarting(lesson.body, 'Quiz: ')).toEqual([`Quiz: \`racelings quiz --topic ${id}\`.`]);
    },
  );

  it('is followed in course.yaml by interview-technique, last', () => {
    expect(course.lessons.at(-1)).toBe('interview-technique');
  });
});

/**
 * A timeline in a lesson, parsed back into what the checker would have been given, and the index
 * of the step marked `▶` (the one that broke the invariant), or -1.
 */
function parseTimeline(block: string[]) {
  const header = block[0]!;
  // The margin (2), the step number (as wide as the largest), then 2 spaces.
  const gutter = header.indexOf('#') + 3;
  const cellWidth = header.slice(gutter).search(/ {2}\S/);
  const width = (i: number) => gutter + i * (cellWidth + 2);
  const tasks: string[] = [];
  for (let start = gutter; start < header.length; start += cellWidth + 2)
    tasks.push(header.slice(start, start + cellWidth).trim());
  const steps: { task: string; text: string }[] = [];
  const verdict: string[] = [];
  let marked = -1;
  for (const raw of block.slice(1)) {
    if (/^ {2}[✗✓] /.test(raw)) {
      verdict.push(raw);
      continue;
    }
    const line = raw.startsWith(`${MARK} `) ? `  ${raw.slice(2)}` : raw;
    const column = tasks.findIndex((_, i) => line.slice(width(i), width(i) + cellWidth).trim() !== '');
    const text = line.slice(width(column), width(column) + cellWidth).trim();
    if (line.slice(0, gutter - 2).trim() !== '') {
      if (line !== raw) marked = steps.length;
      steps.push({ task: tasks[column]!.split(' ')[0]!, text });
    } else steps.at(-1)!.text += ` ${text}`;
  }
  return { tasks, steps, verdict, marked, width: width(tasks.length) };
}

describe('timelines in the lessons', () => {
  const blocks = lessons.flatMap((lesson) =>
    [...lesson.body.matchAll(/```text\n( {2,3}# {2}[^\n]*\n[\s\S]*?)```/g)].map(
      (m) => [lesson.id, m[1]!.trimEnd().split('\n')] as const,
    ),
  );

  it('are drawn in the lessons on transactions, distributed transactions and distributed locks', () => {
    const where = new Set(blocks.map(([id]) => id));
    for (const id of ['isolation', 'distributed-transactions', 'distributed-locks'])
      expect(where).toContain(id);
    expect(blocks.length).toBeGreaterThanOrEqual(8);
  });

  it.each(blocks.map(([id, block], i) => [`${id} #${i + 1}`, block] as const))(
    '%s is laid out exactly as the checker draws it',
    (_name, block) => {
      const { tasks, steps, verdict, marked, width } = parseTimeline(block);
      const columns = tasks.map((task) => task.split(' ')[0]);
      expect(new Set(columns).size).toBe(columns.length);
      const schedule = steps.map(({ task, text }) => ({ task, op: 'return', args: [], result: text }));
      const { header, rows } = layoutTimeline({ tasks, schedule }, width);
      // Rows are one step each: a lesson never repeats a step word for word, so nothing folds.
      expect(rows).toHaveLength(steps.length);
      const drawn = rows.flatMap((row, i) =>
        row.lines.map((line, k) => (i === marked && k === 0 ? `${MARK} ${line.slice(2)}` : line)),
      );
      expect([header, ...drawn, ...verdict]).toEqual(block);
      expect(verdict).toHaveLength(1);
      // As in the checker's report, a broken invariant points at the step that broke it.
      expect(marked >= 0, 'a ✗ timeline marks one step with ▶').toBe(verdict[0]!.startsWith('  ✗'));
      // The reader indents code by 2: at most 58 columns fit a 60-column terminal.
      for (const line of block) expect([...line].length, line).toBeLessThanOrEqual(58);
    },
  );
});

describe('the README', () => {
  it('states the content style rule for Sources lines in its developer section', () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    const developers = readme.slice(readme.indexOf('## For developers'));
    expect(developers).toMatch(/Sources/);
    expect(developers).toMatch(/primary source/);
  });
});

// The quiz files are read by loadCards; here only the ones a lesson owns must exist.
describe('the quiz files', () => {
  it('include one file per lesson, named after it, plus the drills', () => {
    const files = readdirSync(path.join(root, 'content', 'quiz')).filter((name) => name.endsWith('.yaml'));
    expect(files.sort()).toEqual([...course.lessons.map((id) => `${id}.yaml`), 'drills.yaml'].sort());
    for (const file of files.filter((name) => name !== 'drills.yaml')) {
      const bank = parse(readFileSync(path.join(root, 'content', 'quiz', file), 'utf8')) as {
        lesson: string;
      }[];
      for (const card of bank) expect(`${card.lesson}.yaml`, file).toBe(file);
    }
  });
});
