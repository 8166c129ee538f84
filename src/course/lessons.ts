import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { YAMLMap } from 'yaml';
import { UserError } from '../errors.js';
import { didYouMean } from './suggest.js';
import { yaml } from './yaml.js';

export interface Lesson {
  /** The file name without `.md`; what `racelings learn ID` takes. */
  id: string;
  title: string;
  /** One sentence: what the learner can do after reading. */
  summary: string;
  minutes: number;
  /** Exercise ids practised with this lesson. */
  exercises: string[];
  /** The markdown after the front matter. */
  body: string;
}

const LESSONS_DIR = path.join('content', 'lessons');
const KEYS = ['title', 'summary', 'minutes', 'exercises'] as const;
const FIX_HINT = 'fix the front matter at the top of that lesson file';

/** Where a problem is: the file relative to the package root, and a 1-based line. */
const at = (file: string, line: number) => `${file}:${line}`;

function frontMatter(file: string, text: string): { yaml: string; body: string } {
  const lines = text.split('\n');
  if (lines[0]?.trimEnd() !== '---') {
    throw new UserError(`${at(file, 1)}: a lesson starts with '---' and its front matter`, FIX_HINT);
  }
  const end = lines.findIndex((line, i) => i > 0 && line.trimEnd() === '---');
  if (end < 0) throw new UserError(`${at(file, 1)}: the front matter has no closing '---'`, FIX_HINT);
  return {
    yaml: lines.slice(1, end).join('\n'),
    body: lines
      .slice(end + 1)
      .join('\n')
      .trim(),
  };
}

/** Parses and validates one lesson file's text; `file` names it in errors. */
export function parseLesson(id: string, file: string, text: string): Lesson {
  const { yaml: header, body } = frontMatter(file, text.replace(/\r\n/g, '\n'));
  const counter = new (yaml().LineCounter)();
  const doc = yaml().parseDocument(header, { lineCounter: counter, prettyErrors: false });
  // The YAML starts on the file's second line, after the opening '---'.
  const lineOf = (offset: number | undefined) =>
    offset === undefined ? 1 : counter.linePos(offset).line + 1;
  const firstError = doc.errors[0];
  if (firstError) {
    const line = lineOf(firstError.pos[0]);
    throw new UserError(`${at(file, line)}: front matter is not valid YAML (${firstError.code})`, FIX_HINT);
  }
  if (!yaml().isMap(doc.contents))
    throw new UserError(`${at(file, 2)}: front matter must be a mapping`, FIX_HINT);
  const map = doc.contents as YAMLMap;

  for (const pair of map.items) {
    const key = yaml().isScalar(pair.key) ? String(pair.key.value) : '?';
    if (!(KEYS as readonly string[]).includes(key)) {
      const offset = yaml().isScalar(pair.key) ? pair.key.range?.[0] : undefined;
      throw new UserError(
        `${at(file, lineOf(offset))}: unknown field '${key}' (allowed: ${KEYS.join(', ')})`,
        FIX_HINT,
      );
    }
  }
  const field = (key: (typeof KEYS)[number]) => {
    const node = map.get(key, true);
    if (node === undefined) throw new UserError(`${at(file, 1)}: missing field '${key}'`, FIX_HINT);
    return { node, line: lineOf(node.range?.[0]) };
  };
  const stringField = (key: 'title' | 'summary') => {
    const { node, line } = field(key);
    if (!yaml().isScalar(node) || typeof node.value !== 'string' || node.value.trim() === '') {
      throw new UserError(`${at(file, line)}: '${key}' must be a non-empty string`, FIX_HINT);
    }
    return node.value.trim();
  };

  const minutesField = field('minutes');
  const minutes = yaml().isScalar(minutesField.node) ? minutesField.node.value : undefined;
  if (typeof minutes !== 'number' || !Number.isInteger(minutes) || minutes < 1 || minutes > 60) {
    throw new UserError(
      `${at(file, minutesField.line)}: 'minutes' must be a whole number from 1 to 60`,
      FIX_HINT,
    );
  }

  const exercisesField = field('exercises');
  const exercises: string[] = [];
  if (!yaml().isSeq(exercisesField.node)) {
    throw new UserError(
      `${at(file, exercisesField.line)}: 'exercises' must be a list of exercise ids`,
      FIX_HINT,
    );
  }
  for (const item of exercisesField.node.items) {
    if (!yaml().isScalar(item) || typeof item.value !== 'string' || !/^[a-z0-9-]+$/.test(item.value)) {
      throw new UserError(
        `${at(file, lineOf(yaml().isScalar(item) ? item.range?.[0] : undefined))}: 'exercises' items must be exercise ids`,
        FIX_HINT,
      );
    }
    exercises.push(item.value);
  }

  if (body === '')
    throw new UserError(`${at(file, 1)}: the lesson has no text after its front matter`, FIX_HINT);
  return { id, title: stringField('title'), summary: stringField('summary'), minutes, exercises, body };
}

/** Every lesson in `content/lessons`, in `order` (course.yaml's `lessons:`); files and order must match. */
export async function loadLessons(root: string, order: string[]): Promise<Lesson[]> {
  const dir = path.join(root, LESSONS_DIR);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    throw new UserError(`no lessons folder at ${dir}`, 'reinstall racelings, or run it from its own folder');
  }
  const ids = names.filter((name) => name.endsWith('.md')).map((name) => name.slice(0, -3));
  const stray = ids.find((id) => !order.includes(id));
  if (stray !== undefined) {
    throw new UserError(
      `${path.join(LESSONS_DIR, `${stray}.md`)}: lesson '${stray}' is not listed under 'lessons:' in content/course.yaml`,
      'add it to the lessons list in content/course.yaml, or remove the file',
    );
  }
  const missing = order.find((id) => !ids.includes(id));
  if (missing !== undefined) {
    throw new UserError(
      `content/course.yaml lists lesson '${missing}' but ${path.join(LESSONS_DIR, `${missing}.md`)} does not exist`,
      'write the lesson file, or remove the id from the lessons list',
    );
  }
  return Promise.all(
    order.map(async (id) => {
      const file = path.join(LESSONS_DIR, `${id}.md`);
      return parseLesson(id, file, await readFile(path.join(root, file), 'utf8'));
    }),
  );
}

/** The lesson with this id, or the usage error a person sees for a mistyped id. */
export function findLesson(lessons: Lesson[], id: string): Lesson {
  const lesson = lessons.find((candidate) => candidate.id === id);
  if (!lesson) {
    const guess = didYouMean(
      id,
      lessons.map((l) => ({ id: l.id, words: `${l.title} ${l.summary}` })),
    );
    throw new UserError(
      `no lesson '${id}'${guess ? ` — ${guess}` : ''}`,
      "run 'racelings learn' to list the lessons",
    );
  }
  return lesson;
}
