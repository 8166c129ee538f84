import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { lexer, type Token, type Tokens } from 'marked';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { findLesson, type Lesson, loadLessons, parseLesson } from '../src/course/lessons.js';
import { isUserError, type UserError } from '../src/errors.js';

const root = path.resolve(import.meta.dirname, '..');
const course = parse(await readFile(path.join(root, 'content', 'course.yaml'), 'utf8')) as {
  lessons: string[];
  exercises: { id: string; lesson: string }[];
};
const lessons = await loadLessons(root, course.lessons);

const FENCE_LANGUAGES = ['ts', 'sql', 'text', 'lua'];
const RENDERED = [
  'heading',
  'paragraph',
  'text',
  'strong',
  'em',
  'codespan',
  'link',
  'list',
  'list_item',
  'table',
  'code',
  'blockquote',
  'hr',
  'space',
  'escape',
  'br',
];
const words = (text: string) => text.split(/\s+/).filter((word) => /\w/.test(word)).length;
const sections = (lesson: Lesson) => lesson.body.split('\n').filter((line) => /^#{1,3} /.test(line));

describe('the lessons in content/lessons', () => {
  it('are exactly the lessons of course.yaml, in its order', () => {
    expect(lessons.map((lesson) => lesson.id)).toEqual(course.lessons);
    expect(course.lessons.length).toBeGreaterThanOrEqual(17);
  });

  it('list every exercise that course.yaml links to them, so a lesson leads to its exercises and back', () => {
    for (const exercise of course.exercises) {
      const lesson = lessons.find((l) => l.id === exercise.lesson);
      expect(lesson?.exercises, `${exercise.id} in ${exercise.lesson}`).toContain(exercise.id);
    }
  });

  it('name only exercises that course.yaml defines', () => {
    const known = new Set(course.exercises.map((exercise) => exercise.id));
    for (const lesson of lessons)
      for (const id of lesson.exercises) expect(known, `${lesson.id}: ${id}`).toContain(id);
  });

  describe.each(lessons.map((lesson) => [lesson.id, lesson] as const))('%s', (_id, lesson) => {
    it('takes 5 to 10 minutes, and its length matches the minutes it claims', () => {
      const count = words(lesson.body);
      expect(lesson.minutes).toBeGreaterThanOrEqual(5);
      expect(lesson.minutes).toBeLessThanOrEqual(10);
      expect(count).toBeGreaterThanOrEqual(900);
      expect(count).toBeLessThanOrEqual(1800);
      // About 200 words a minute for technical prose with code.
      expect(count / lesson.minutes).toBeGreaterThanOrEqual(150);
      expect(count / lesson.minutes).toBeLessThanOrEqual(250);
    });

    it('ends with "Say it in the interview" and its follow-ups', () => {
      const heads = sections(lesson);
      expect(heads.slice(-2)).toEqual(['## Say it in the interview', '### Follow-ups to expect']);
      const followUps = lesson.body.split('### Follow-ups to expect')[1] ?? '';
      const items = followUps.split('\n').filter((line) => line.startsWith('- '));
      expect(items.length).toBeGreaterThanOrEqual(3);
      expect(items.length).toBeLessThanOrEqual(5);
    });

    it('opens with what the learner will be able to do', () => {
      const firstParagraph = lesson.body.split('\n\n')[1] ?? '';
      expect(firstParagraph).toMatch(/^After this lesson you can /);
    });

    it('names its practice: the quiz topic, and a "Practise it" line with the command for each exercise', () => {
      const lines = lesson.body.split('\n');
      expect(lines).toContain(`Quiz: \`racelings quiz --topic ${lesson.id}\`.`);
      const practise = lines.filter((line) => line.startsWith('Practise it: '));
      for (const id of lesson.exercises) {
        expect(practise.some((line) => line.includes(`\`racelings check ${id}\``))).toBe(true);
      }
    });

    it('uses only the markdown the reader renders, with a language on every fence', () => {
      const seen = new Set<string>();
      const walk = (tokens: Token[], depth = 0) => {
        for (const token of tokens) {
          seen.add(token.type);
          if (token.type === 'code') expect(FENCE_LANGUAGES, token.raw.slice(0, 40)).toContain(token.lang);
          if (token.type === 'list') {
            // One level of nesting at most: a list inside a list inside a list is deeper than the reader draws.
            expect(depth, token.raw.slice(0, 40)).toBeLessThan(2);
            for (const item of (token as Tokens.List).items) walk(item.tokens, depth + 1);
          } else if (token.type === 'table') {
            const table = token as Tokens.Table;
            for (const cell of [...table.header, ...table.rows.flat()]) walk(cell.tokens);
          } else if ('tokens' in token && Array.isArray(token.tokens)) walk(token.tokens, depth);
        }
      };
      walk(lexer(lesson.body));
      for (const type of seen) expect(RENDERED, type).toContain(type);
    });
  });
});

describe('parseLesson', () => {
  const good = '---\ntitle: T\nsummary: S\nminutes: 6\nexercises: []\n---\n\n# T\n\nBody.\n';

  it('returns the front matter fields and the body after it', () => {
    expect(parseLesson('x', 'content/lessons/x.md', good)).toEqual({
      id: 'x',
      title: 'T',
      summary: 'S',
      minutes: 6,
      exercises: [],
      body: '# T\n\nBody.',
    });
  });

  const problems: [string, string, RegExp][] = [
    [
      'a field of the wrong type, by its line',
      good.replace('minutes: 6', 'minutes: six'),
      /x\.md:4: 'minutes'/,
    ],
    ['a missing field', good.replace('summary: S\n', ''), /x\.md:1: missing field 'summary'/],
    [
      'an unknown field, by its line',
      good.replace('exercises: []', 'exercises: []\ntags: [a]'),
      /x\.md:6: unknown field 'tags'/,
    ],
    [
      'invalid YAML, by its line',
      good.replace('title: T', 'title: [T'),
      /x\.md:\d+: front matter is not valid YAML/,
    ],
    [
      'exercises that are not a list',
      good.replace('exercises: []', 'exercises: counter'),
      /x\.md:5: 'exercises'/,
    ],
    ['no front matter at all', '# T\n\nBody.\n', /x\.md:1: a lesson starts with '---'/],
  ];
  it.each(problems)('reports %s as a UserError naming the file', (_what, text, message) => {
    let caught: unknown;
    try {
      parseLesson('x', 'content/lessons/x.md', text);
    } catch (error) {
      caught = error;
    }
    expect(isUserError(caught)).toBe(true);
    expect((caught as UserError).message).toMatch(message);
    expect((caught as UserError).hint).toBeTruthy();
  });
});

describe('loadLessons', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function tree(files: Record<string, string>) {
    dir = await mkdtemp(path.join(tmpdir(), 'racelings-lessons-'));
    await mkdir(path.join(dir, 'content', 'lessons'), { recursive: true });
    for (const [name, text] of Object.entries(files))
      await writeFile(path.join(dir, 'content', 'lessons', name), text);
    return dir;
  }
  const lesson = (title: string) =>
    `---\ntitle: ${title}\nsummary: S\nminutes: 5\nexercises: []\n---\nBody of ${title}.\n`;

  it('returns the lessons in the given order, not the order of the folder', async () => {
    const at = await tree({ 'a.md': lesson('A'), 'b.md': lesson('B') });
    expect((await loadLessons(at, ['b', 'a'])).map((l) => l.title)).toEqual(['B', 'A']);
  });

  it('rejects a lesson file that course.yaml does not list', async () => {
    const at = await tree({ 'a.md': lesson('A'), 'extra.md': lesson('E') });
    await expect(loadLessons(at, ['a'])).rejects.toThrow(/extra\.md: lesson 'extra' is not listed/);
  });

  it('rejects an id in the order that has no file', async () => {
    const at = await tree({ 'a.md': lesson('A') });
    await expect(loadLessons(at, ['a', 'gone'])).rejects.toThrow(
      /lists lesson 'gone' but .*gone\.md does not exist/,
    );
  });

  it('names the file and line of a broken front matter', async () => {
    const at = await tree({ 'a.md': lesson('A').replace('minutes: 5', 'minutes: -3') });
    await expect(loadLessons(at, ['a'])).rejects.toThrow(/content\/lessons\/a\.md:4: 'minutes'/);
  });
});

describe('findLesson', () => {
  it('finds a lesson by id and answers an unknown id with the usage error', () => {
    expect(findLesson(lessons, 'isolation').title).toBe(lessons[9]?.title);
    expect(() => findLesson(lessons, 'nope')).toThrow(/^no lesson 'nope'$/);
    try {
      findLesson(lessons, 'nope');
    } catch (error) {
      expect((error as UserError).hint).toBe("run 'racelings learn' to list the lessons");
      expect((error as UserError).exitCode).toBe(2);
    }
  });
});
