import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { YAMLMap } from 'yaml';
import { yaml } from '../course/yaml.js';
import { UserError } from '../errors.js';

export const CARD_FORMATS = [
  'single',
  'multiple',
  'truefalse',
  'matrix',
  'order',
  'spot-the-bug',
  'recall',
  'drill',
] as const;
export type CardFormat = (typeof CARD_FORMATS)[number];

/** Where a card was written, so later checks (duplicate ids) can point at it. */
export interface CardSource {
  /** Path relative to the package root, e.g. `content/quiz/mutexes.yaml`. */
  file: string;
  line: number;
}

interface CardBase {
  id: string;
  lesson: string;
  explanation: string;
  source: CardSource;
}

export interface SingleCard extends CardBase {
  format: 'single';
  question: string;
  choices: string[];
  answer: number;
}
export interface MultipleCard extends CardBase {
  format: 'multiple';
  question: string;
  choices: string[];
  answers: number[];
}
export interface TrueFalseCard extends CardBase {
  format: 'truefalse';
  statement: string;
  answer: boolean;
}
export interface MatrixCard extends CardBase {
  format: 'matrix';
  question: string;
  rows: string[];
  columns: string[];
  /** One column index per row. */
  answer: number[];
}
export interface OrderCard extends CardBase {
  format: 'order';
  question: string;
  /** In one correct order; the UI shuffles them. */
  steps: string[];
  /**
   * One rank per step (0, 1, 2 …, never decreasing): steps of equal rank may come in either order.
   * In YAML a group of such steps is a nested list inside `steps`. Graded by src/quiz/order.ts.
   */
  ranks: number[];
}
export interface SpotTheBugCard extends CardBase {
  format: 'spot-the-bug';
  question: string;
  code: string;
  language: 'ts' | 'sql';
  /** 1-based line numbers of the buggy lines. */
  answer: number[];
  fix: string;
}
export interface RecallCard extends CardBase {
  format: 'recall';
  question: string;
  model: string;
}
export interface DrillCard extends CardBase {
  format: 'drill';
  prompt: string;
  rubric: string[];
  model: string;
  /**
   * The drill this one follows up, as an interviewer pushes on an answer ("and if Redis fails
   * over?"): it is introduced only once that drill has been answered, and comes after it.
   */
  follows?: string;
}

export type Card =
  | SingleCard
  | MultipleCard
  | TrueFalseCard
  | MatrixCard
  | OrderCard
  | SpotTheBugCard
  | RecallCard
  | DrillCard;

export const DRILLS_FILE = 'drills.yaml';

const COMMON_FIELDS = ['id', 'lesson', 'format', 'explanation'];
const FORMAT_FIELDS: Record<CardFormat, string[]> = {
  single: ['question', 'choices', 'answer'],
  multiple: ['question', 'choices', 'answers'],
  truefalse: ['statement', 'answer'],
  matrix: ['question', 'rows', 'columns', 'answer'],
  order: ['question', 'steps'],
  'spot-the-bug': ['question', 'code', 'language', 'answer', 'fix'],
  recall: ['question', 'model'],
  drill: ['prompt', 'rubric', 'model'],
};
const OPTIONAL_FIELDS: Partial<Record<CardFormat, string[]>> = { drill: ['follows'] };

const ID_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)+$/;

/** Reads every `content/quiz/*.yaml` under root and validates the whole bank. */
export async function loadCards(root: string, lessons: readonly string[]): Promise<Card[]> {
  const dir = path.join(root, 'content', 'quiz');
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => name.endsWith('.yaml')).sort();
  } catch {
    throw new UserError(`no quiz cards: ${dir} is missing`, 'reinstall racelings, or run it from its clone');
  }
  const files = await Promise.all(
    names.map(async (name) => ({
      file: path.posix.join('content', 'quiz', name),
      text: await readFile(path.join(dir, name), 'utf8'),
    })),
  );
  return inTeachingOrder(parseBank(files, lessons), lessons);
}

/** New cards are introduced in this order: lesson by lesson as the course teaches them, drills last in each. */
export function inTeachingOrder(cards: readonly Card[], lessons: readonly string[]): Card[] {
  const rank = (card: Card) => lessons.indexOf(card.lesson) * 2 + (card.format === 'drill' ? 1 : 0);
  return [...cards].sort((a, b) => rank(a) - rank(b));
}

/** Validates several files as one bank: each file on its own, then ids across files. */
export function parseBank(
  files: readonly { file: string; text: string }[],
  lessons: readonly string[],
): Card[] {
  const cards = files.flatMap(({ file, text }) => parseCardFile(text, file, lessons));
  const seen = new Map<string, CardSource>();
  for (const card of cards) {
    const first = seen.get(card.id);
    if (first) {
      throw new UserError(
        `${at(card.source)}: card '${card.id}': duplicate id, already used at ${at(first)}`,
        'card ids must be unique across content/quiz',
      );
    }
    seen.set(card.id, card.source);
  }
  checkFollowUps(cards, lessons);
  return cards;
}

/** A follow-up drill must name a drill that the learner meets before it. */
function checkFollowUps(cards: readonly Card[], lessons: readonly string[]): void {
  const order = inTeachingOrder(cards, lessons).map((card) => card.id);
  for (const card of cards) {
    if (card.format !== 'drill' || card.follows === undefined) continue;
    const parent = cards.find((other) => other.id === card.follows);
    const problem =
      parent?.format !== 'drill'
        ? `'follows' names '${card.follows}', which is not a drill`
        : order.indexOf(parent.id) > order.indexOf(card.id)
          ? `'follows' names '${card.follows}', which comes after it: put the follow-up in the same or a later lesson, below it`
          : undefined;
    if (problem) {
      throw new UserError(
        `${at(card.source)}: card '${card.id}': ${problem}`,
        'see the card schema in content/quiz',
      );
    }
  }
}

/** Parses one YAML file of cards; `file` is the path shown in errors. */
export function parseCardFile(text: string, file: string, lessons: readonly string[]): Card[] {
  const lineCounter = new (yaml().LineCounter)();
  const doc = yaml().parseDocument(text, { lineCounter, prettyErrors: false });
  const lineOf = (offset: number | undefined) =>
    offset === undefined ? 1 : lineCounter.linePos(offset).line;
  const firstError = doc.errors[0];
  if (firstError) {
    throw new UserError(
      `${file}:${lineOf(firstError.pos[0])}: invalid YAML: ${firstError.message.split('\n')[0]}`,
      'fix the YAML syntax in that file',
    );
  }
  const contents = doc.contents;
  if (contents === null || (yaml().isScalar(contents) && contents.value === null)) return [];
  if (!yaml().isSeq(contents)) {
    throw new UserError(
      `${file}:${lineOf(contents.range?.[0])}: expected a list of cards`,
      'start each card with "- id:"',
    );
  }
  const isDrillFile = path.posix.basename(file) === DRILLS_FILE;
  return contents.items.map((item, index) => {
    const line = lineOf(
      yaml().isMap(item) || yaml().isSeq(item) || yaml().isScalar(item) ? item.range?.[0] : undefined,
    );
    if (!yaml().isMap(item)) {
      throw new UserError(
        `${file}:${line}: card #${index + 1}: expected a mapping of fields`,
        'see the card schema',
      );
    }
    return parseCard(item, { file, line }, lineOf, lessons, isDrillFile);
  });
}

function parseCard(
  map: YAMLMap,
  source: CardSource,
  lineOf: (offset: number | undefined) => number,
  lessons: readonly string[],
  isDrillFile: boolean,
): Card {
  const values = new Map<string, unknown>();
  const lines = new Map<string, number>();
  for (const pair of map.items) {
    const key = yaml().isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    const valueNode = pair.value as {
      range?: [number, number, number] | null;
      toJSON?: () => unknown;
    } | null;
    values.set(key, valueNode && typeof valueNode.toJSON === 'function' ? valueNode.toJSON() : valueNode);
    const keyRange = yaml().isScalar(pair.key) ? pair.key.range : undefined;
    lines.set(key, lineOf(keyRange?.[0] ?? valueNode?.range?.[0]));
  }
  const rawId = values.get('id');
  const label = typeof rawId === 'string' ? `card '${rawId}'` : 'card';
  const fail = (field: string | undefined, message: string): never => {
    const line = (field && lines.get(field)) || source.line;
    throw new UserError(
      `${source.file}:${line}: ${label}: ${message}`,
      'see the card schema in content/quiz',
    );
  };
  const field = new FieldReader(values, fail);

  const id = field.string('id');
  if (!ID_PATTERN.test(id))
    fail('id', `'id' must be kebab-case with a lesson tag prefix, like 'lu-two-likes'`);
  const lesson = field.string('lesson');
  if (!lessons.includes(lesson)) fail('lesson', `'lesson' must be one of: ${lessons.join(', ')}`);
  const format = field.string('format');
  if (!(CARD_FORMATS as readonly string[]).includes(format)) {
    fail('format', `'format' must be one of: ${CARD_FORMATS.join(', ')}`);
  }
  const typed = format as CardFormat;
  if (typed === 'drill' && !isDrillFile)
    fail('format', `'drill' cards belong in content/quiz/${DRILLS_FILE}`);
  if (typed !== 'drill' && isDrillFile) fail('format', `${DRILLS_FILE} holds only 'drill' cards`);
  const allowed = [...COMMON_FIELDS, ...FORMAT_FIELDS[typed], ...(OPTIONAL_FIELDS[typed] ?? [])];
  for (const key of values.keys()) {
    if (!allowed.includes(key))
      fail(key, `unknown field '${key}' for a ${typed} card (it takes ${allowed.join(', ')})`);
  }
  const explanation = field.string('explanation');
  const base = { id, lesson, explanation, source };

  switch (typed) {
    case 'single': {
      const choices = field.strings('choices', 2, 6);
      const answer = field.index('answer', choices.length, `an index into 'choices'`);
      return { ...base, format: typed, question: field.string('question'), choices, answer };
    }
    case 'multiple': {
      const choices = field.strings('choices', 3, 7);
      const answers = field.indices('answers', choices.length, `indices into 'choices'`);
      return { ...base, format: typed, question: field.string('question'), choices, answers };
    }
    case 'truefalse': {
      const answer = values.get('answer');
      if (typeof answer !== 'boolean') fail('answer', `'answer' must be true or false`);
      return { ...base, format: typed, statement: field.string('statement'), answer: answer as boolean };
    }
    case 'matrix': {
      const rows = field.strings('rows', 2, 6);
      const columns = field.strings('columns', 2, 5);
      const answer = values.get('answer');
      if (!Array.isArray(answer) || answer.length !== rows.length) {
        fail('answer', `'answer' must list one column index per row (${rows.length})`);
      }
      for (const value of answer as unknown[]) {
        if (!isIndex(value, columns.length)) fail('answer', `'answer' must hold indices into 'columns'`);
      }
      return {
        ...base,
        format: typed,
        question: field.string('question'),
        rows,
        columns,
        answer: answer as number[],
      };
    }
    case 'order':
      return { ...base, format: typed, question: field.string('question'), ...field.rankedSteps('steps') };
    case 'spot-the-bug': {
      const code = field.string('code').replace(/\n+$/, '');
      const language = field.string('language');
      if (language !== 'ts' && language !== 'sql') fail('language', `'language' must be ts or sql`);
      const lineCount = code.split('\n').length;
      const answer = field
        .indices('answer', lineCount, `line numbers of 'code' (1 to ${lineCount})`, 1)
        .sort((a, b) => a - b);
      return {
        ...base,
        format: typed,
        question: field.string('question'),
        code,
        language: language as 'ts' | 'sql',
        answer,
        fix: field.string('fix'),
      };
    }
    case 'recall':
      return { ...base, format: typed, question: field.string('question'), model: field.string('model') };
    case 'drill': {
      const card: DrillCard = {
        ...base,
        format: typed,
        prompt: field.string('prompt'),
        rubric: field.strings('rubric', 4, 8),
        model: field.string('model'),
      };
      if (values.has('follows')) {
        card.follows = field.string('follows');
        if (card.follows === id) fail('follows', `a drill cannot follow itself`);
      }
      return card;
    }
  }
}

/** Typed access to one card's fields; every failure names the field. */
class FieldReader {
  constructor(
    private readonly values: Map<string, unknown>,
    private readonly fail: (field: string, message: string) => never,
  ) {}

  string(name: string): string {
    const value = this.values.get(name);
    if (!this.values.has(name)) this.fail(name, `missing '${name}'`);
    if (typeof value !== 'string' || value.trim() === '')
      this.fail(name, `'${name}' must be a non-empty string`);
    return (value as string).trim();
  }

  strings(name: string, min: number, max: number): string[] {
    const value = this.values.get(name);
    if (!this.values.has(name)) this.fail(name, `missing '${name}'`);
    if (!Array.isArray(value) || value.length < min || value.length > max) {
      this.fail(name, `'${name}' must be a list of ${min} to ${max} strings`);
    }
    const list = value as unknown[];
    if (!list.every((item) => typeof item === 'string' && item.trim() !== '')) {
      this.fail(name, `'${name}' must hold only non-empty strings`);
    }
    const strings = (list as string[]).map((item) => item.trim());
    if (new Set(strings).size !== strings.length) this.fail(name, `'${name}' must not repeat an item`);
    return strings;
  }

  /**
   * Order-card steps: 3 to 7 in all, each a string or a nested list of 2 or more strings (steps that
   * may come in either order); at least two ranks, so there is an order to find.
   */
  rankedSteps(name: string): { steps: string[]; ranks: number[] } {
    const value = this.values.get(name);
    if (!this.values.has(name)) this.fail(name, `missing '${name}'`);
    const shape = `'${name}' must be a list of 3 to 7 steps: strings, or lists of 2 or more strings that may come in either order`;
    if (!Array.isArray(value)) this.fail(name, shape);
    const steps: string[] = [];
    const ranks: number[] = [];
    (value as unknown[]).forEach((item, rank) => {
      const group = Array.isArray(item) ? item : [item];
      if (Array.isArray(item) && item.length < 2) this.fail(name, shape);
      for (const step of group) {
        if (typeof step !== 'string' || step.trim() === '') this.fail(name, shape);
        steps.push((step as string).trim());
        ranks.push(rank);
      }
    });
    if (steps.length < 3 || steps.length > 7) this.fail(name, shape);
    if (new Set(steps).size !== steps.length) this.fail(name, `'${name}' must not repeat an item`);
    if (new Set(ranks).size < 2) this.fail(name, `'${name}' must have at least two places to order`);
    return { steps, ranks };
  }

  index(name: string, count: number, what: string, first = 0): number {
    const value = this.values.get(name);
    if (!this.values.has(name)) this.fail(name, `missing '${name}'`);
    if (!isIndex(value, count, first)) this.fail(name, `'${name}' must be ${what}`);
    return value as number;
  }

  indices(name: string, count: number, what: string, first = 0): number[] {
    const value = this.values.get(name);
    if (!this.values.has(name)) this.fail(name, `missing '${name}'`);
    if (!Array.isArray(value) || value.length === 0)
      this.fail(name, `'${name}' must be a non-empty list of ${what}`);
    const list = value as unknown[];
    if (!list.every((item) => isIndex(item, count, first)))
      this.fail(name, `'${name}' must hold only ${what}`);
    if (new Set(list).size !== list.length) this.fail(name, `'${name}' must not repeat an item`);
    return [...(list as number[])];
  }
}

function isIndex(value: unknown, count: number, first = 0): value is number {
  return Number.isInteger(value) && (value as number) >= first && (value as number) < count + first;
}

function at(source: CardSource): string {
  return `${source.file}:${source.line}`;
}
