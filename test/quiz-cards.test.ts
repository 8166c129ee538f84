import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { UserError } from '../src/errors.js';
import { type Card, loadCards, parseBank, parseCardFile } from '../src/quiz/cards.js';

const root = path.resolve(import.meta.dirname, '..');
const lessons = (
  parse(await readFile(path.join(root, 'content', 'course.yaml'), 'utf8')) as { lessons: string[] }
).lessons;

function errorOf(run: () => unknown): UserError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return error as UserError;
  }
  throw new Error('expected a UserError');
}

const FILE = 'content/quiz/mutexes.yaml';

describe('the shipped bank', () => {
  it('validates, with enough cards for every lesson and enough drills', async () => {
    const cards = await loadCards(root, lessons);
    expect(cards.length).toBeGreaterThanOrEqual(120);
    for (const lesson of lessons) {
      const ofLesson = cards.filter((card) => card.lesson === lesson && card.format !== 'drill');
      expect(ofLesson.length, `cards for ${lesson}`).toBeGreaterThanOrEqual(5);
    }
    const drills = cards.filter((card) => card.format === 'drill');
    expect(drills.length).toBeGreaterThanOrEqual(15);
    expect(drills.every((card) => card.source.file === 'content/quiz/drills.yaml')).toBe(true);
    expect(new Set(cards.map((card) => card.id)).size).toBe(cards.length);
  });

  it('introduces new cards in teaching order, drills after the lesson they lean on', async () => {
    const cards = await loadCards(root, lessons);
    const ranks = cards.map((card) => lessons.indexOf(card.lesson) * 2 + (card.format === 'drill' ? 1 : 0));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
  });
});

describe('a broken card', () => {
  const text = [
    '- id: mx-ok',
    '  lesson: mutexes',
    '  format: truefalse',
    '  statement: Go mutexes are reentrant.',
    '  answer: false',
    '  explanation: They are not, on purpose.',
    '- id: mx-finally',
    '  lesson: mutexes',
    '  format: single',
    '  question: Where does the unlock go?',
    '  choices: [In finally, After the body]',
    '  answer: 2',
    '  explanation: A throw skips anything after the body.',
  ].join('\n');

  it('is reported with its file, the line of the field, the card id and the field', () => {
    const error = errorOf(() => parseCardFile(text, FILE, lessons));
    expect(error.message).toBe(`${FILE}:12: card 'mx-finally': 'answer' must be an index into 'choices'`);
  });

  it('with a duplicate id names both places', () => {
    const other = [
      '- id: mx-ok',
      '  lesson: atomics',
      '  format: recall',
      '  question: Q?',
      '  model: M.',
      '  explanation: E.',
    ];
    const error = errorOf(() =>
      parseBank(
        [
          { file: FILE, text: text.replace('answer: 2', 'answer: 0') },
          { file: 'content/quiz/atomics.yaml', text: other.join('\n') },
        ],
        lessons,
      ),
    );
    expect(error.message).toBe(
      `content/quiz/atomics.yaml:1: card 'mx-ok': duplicate id, already used at ${FILE}:1`,
    );
  });

  it('with invalid YAML names the line', () => {
    const error = errorOf(() => parseCardFile('- id: mx-a\n  lesson: [mutexes\n', FILE, lessons));
    expect(error.message).toMatch(/^content\/quiz\/mutexes\.yaml:\d+: invalid YAML/);
  });
});

/** One valid card per format, to break one field at a time. */
const valid: Record<Card['format'], Record<string, unknown>> = {
  single: { question: 'Q?', choices: ['a', 'b'], answer: 1 },
  multiple: { question: 'Q?', choices: ['a', 'b', 'c'], answers: [0, 2] },
  truefalse: { statement: 'S.', answer: true },
  matrix: { question: 'Q?', rows: ['r1', 'r2'], columns: ['c1', 'c2'], answer: [1, 0] },
  order: { question: 'Q?', steps: ['one', 'two', 'three'] },
  'spot-the-bug': { question: 'Q?', code: 'a\nb\nc\n', language: 'ts', answer: [3, 2], fix: 'F.' },
  recall: { question: 'Q?', model: 'M.' },
  drill: { prompt: 'P?', rubric: ['a', 'b', 'c', 'd'], model: 'M.' },
};

function cardYaml(format: Card['format'], fields: Record<string, unknown>): string {
  const card = { id: 'mx-card', lesson: 'mutexes', format, ...fields, explanation: 'E.' };
  const lines = Object.entries(card)
    .filter(([, value]) => value !== undefined)
    .map(([key, value], index) => `${index === 0 ? '- ' : '  '}${key}: ${JSON.stringify(value)}`);
  return lines.join('\n');
}

function parseOne(format: Card['format'], fields: Record<string, unknown>): Card {
  const file = format === 'drill' ? 'content/quiz/drills.yaml' : FILE;
  const [card] = parseCardFile(cardYaml(format, fields), file, lessons);
  return card!;
}

function schemaError(format: Card['format'], change: Record<string, unknown>): string {
  return errorOf(() => parseOne(format, { ...valid[format], ...change })).message;
}

describe('each format', () => {
  it('parses a valid card into its typed shape', () => {
    for (const format of Object.keys(valid) as Card['format'][]) {
      const card = parseOne(format, valid[format]);
      expect(card.format).toBe(format);
      expect(card.source).toEqual({ file: format === 'drill' ? 'content/quiz/drills.yaml' : FILE, line: 1 });
    }
    const bug = parseOne('spot-the-bug', valid['spot-the-bug']);
    expect(bug.format === 'spot-the-bug' && bug.answer).toEqual([2, 3]);
    expect(bug.format === 'spot-the-bug' && bug.code).toBe('a\nb\nc');
  });

  it.each([
    ['single', { answer: 2 }, `'answer' must be an index into 'choices'`],
    ['single', { choices: ['only one'] }, `'choices' must be a list of 2 to 6 strings`],
    ['single', { question: undefined }, `missing 'question'`],
    ['multiple', { answers: [] }, `'answers' must be a non-empty list of indices into 'choices'`],
    ['multiple', { answers: [0, 3] }, `'answers' must hold only indices into 'choices'`],
    ['multiple', { choices: ['a', 'b'] }, `'choices' must be a list of 3 to 7 strings`],
    ['truefalse', { answer: 'yes' }, `'answer' must be true or false`],
    ['matrix', { answer: [0] }, `'answer' must list one column index per row (2)`],
    ['matrix', { answer: [0, 2] }, `'answer' must hold indices into 'columns'`],
    [
      'matrix',
      { columns: ['c1', 'c2', 'c3', 'c4', 'c5', 'c6'] },
      `'columns' must be a list of 2 to 5 strings`,
    ],
    ['order', { steps: ['one', 'two'] }, `'steps' must be a list of 3 to 7 steps`],
    ['order', { steps: ['one', ['two'], 'three'] }, `'steps' must be a list of 3 to 7 steps`],
    ['order', { steps: [['one', 'two', 'three']] }, `'steps' must have at least two places to order`],
    ['order', { steps: ['one', ['two', 'one']] }, `'steps' must not repeat an item`],
    ['drill', { follows: 'mx-card' }, `a drill cannot follow itself`],
    ['spot-the-bug', { answer: [4] }, `'answer' must hold only line numbers of 'code' (1 to 3)`],
    ['spot-the-bug', { answer: [0] }, `'answer' must hold only line numbers of 'code' (1 to 3)`],
    ['spot-the-bug', { language: 'py' }, `'language' must be ts or sql`],
    ['spot-the-bug', { fix: undefined }, `missing 'fix'`],
    ['recall', { model: '' }, `'model' must be a non-empty string`],
    ['drill', { rubric: ['a', 'b', 'c'] }, `'rubric' must be a list of 4 to 8 strings`],
    ['drill', { prompt: 42 }, `'prompt' must be a non-empty string`],
  ] as const)('%s: rejects %j', (format, change, message) => {
    expect(schemaError(format, change)).toContain(`card 'mx-card': ${message}`);
  });

  it('rejects a field the format does not take, naming it', () => {
    expect(schemaError('single', { answers: [1] })).toContain(`unknown field 'answers' for a single card`);
  });

  it('rejects an unknown lesson, an unknown format and a bad id', () => {
    expect(schemaError('recall', { lesson: 'mutex' })).toContain(
      `'lesson' must be one of: execution-models,`,
    );
    expect(
      errorOf(() => parseCardFile(cardYaml('recall', { ...valid.recall, format: 'essay' }), FILE, lessons))
        .message,
    ).toContain(`'format' must be one of:`);
    expect(schemaError('recall', { id: 'Mutex_Card' })).toContain(`'id' must be kebab-case`);
  });

  it('keeps drills in drills.yaml and only drills there', () => {
    expect(errorOf(() => parseCardFile(cardYaml('drill', valid.drill), FILE, lessons)).message).toContain(
      `'drill' cards belong in content/quiz/drills.yaml`,
    );
    expect(
      errorOf(() => parseCardFile(cardYaml('recall', valid.recall), 'content/quiz/drills.yaml', lessons))
        .message,
    ).toContain('drills.yaml holds only');
  });

  it('reports the line of the offending field in a multi-card file', () => {
    const text = `${cardYaml('recall', valid.recall)}\n${cardYaml('order', { ...valid.order, id: 'mx-two', steps: ['x'] })}`;
    const error = errorOf(() => parseCardFile(text, FILE, lessons));
    const stepsLine = text.split('\n').findIndex((line) => line.startsWith('  steps:')) + 1;
    expect(error.message).toBe(
      `${FILE}:${stepsLine}: card 'mx-two': 'steps' must be a list of 3 to 7 steps: strings, or lists of 2 or more strings that may come in either order`,
    );
  });
});

describe('an order card with steps that may come either way round', () => {
  it('flattens a nested list into steps that share one rank', () => {
    const card = parseOne('order', { question: 'Q?', steps: ['prepare', ['A votes', 'B votes'], 'commit'] });
    expect(card.format === 'order' && card.steps).toEqual(['prepare', 'A votes', 'B votes', 'commit']);
    expect(card.format === 'order' && card.ranks).toEqual([0, 1, 1, 2]);
  });

  it('gives a plain list one rank per step', () => {
    const card = parseOne('order', valid.order);
    expect(card.format === 'order' && card.ranks).toEqual([0, 1, 2]);
  });
});

describe('a follow-up drill', () => {
  const DRILLS = 'content/quiz/drills.yaml';
  const drill = (id: string, lesson: string, follows?: string) =>
    cardYaml('drill', { ...valid.drill, follows })
      .replace('mx-card', id)
      .replace('mutexes', lesson);

  it('keeps the drill it follows', () => {
    const [first, second] = parseBank(
      [
        {
          file: DRILLS,
          text: `${drill('mx-first', 'mutexes')}\n${drill('mx-second', 'mutexes', 'mx-first')}`,
        },
      ],
      lessons,
    );
    expect(first?.format === 'drill' && first.follows).toBeUndefined();
    expect(second?.format === 'drill' && second.follows).toBe('mx-first');
  });

  it('must follow a drill that exists', () => {
    const error = errorOf(() =>
      parseBank([{ file: DRILLS, text: drill('mx-second', 'mutexes', 'mx-nowhere') }], lessons),
    );
    expect(error.message).toBe(
      `${DRILLS}:1: card 'mx-second': 'follows' names 'mx-nowhere', which is not a drill`,
    );
  });

  it('must come after the drill it follows in teaching order', () => {
    const text = `${drill('mx-second', 'execution-models', 'mx-first')}\n${drill('mx-first', 'mutexes')}`;
    const error = errorOf(() => parseBank([{ file: DRILLS, text }], lessons));
    expect(error.message).toMatch(/card 'mx-second': 'follows' names 'mx-first', which comes after it/);
  });
});
