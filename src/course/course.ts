import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Node } from 'yaml';
import { JsonCache } from '../cache.js';
import { UserError } from '../errors.js';
import { didYouMean } from './suggest.js';
import type { Course, Exercise, Tier } from './types.js';
import { yaml } from './yaml.js';

const TIERS: readonly Tier[] = ['async', 'workers', 'postgres', 'redis'];

/** The installed package's root: where content/, exercises/ and solutions/ live. */
export function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'content', 'course.yaml'))) {
    const parent = path.dirname(dir);
    if (parent === dir)
      throw new UserError('racelings is installed without its content/ folder', 'reinstall racelings');
    dir = parent;
  }
  return dir;
}

/** Reads a YAML file and names file, line and field when something is wrong. */
class Manifest {
  private readonly lines = new (yaml().LineCounter)();
  readonly root: Node | null;

  constructor(
    private readonly file: string,
    text: string,
  ) {
    const doc = yaml().parseDocument(text, { lineCounter: this.lines, prettyErrors: false });
    const error = doc.errors[0];
    if (error) throw this.error(error.pos[0], error.message.split('\n')[0]!);
    this.root = doc.contents as Node | null;
  }

  error(offset: number | undefined, message: string): UserError {
    const line = offset === undefined ? '' : `:${this.lines.linePos(offset).line}`;
    return new UserError(`${this.file}${line}: ${message}`, 'fix the file, or restore it from the package');
  }

  at(node: Node | null | undefined, message: string): UserError {
    return this.error(node?.range?.[0], message);
  }
}

function field(manifest: Manifest, item: Node, key: string, where: string): Node {
  if (!yaml().isMap(item)) throw manifest.at(item, `${where} must be a mapping`);
  const value = item.get(key, true) as Node | undefined;
  if (value === undefined) throw manifest.at(item, `${where}: '${key}' is missing`);
  return value;
}

function text(manifest: Manifest, node: Node, what: string): string {
  if (!yaml().isScalar(node) || typeof node.value !== 'string' || node.value.trim() === '') {
    throw manifest.at(node, `${what} must be a non-empty string`);
  }
  return node.value;
}

function texts(manifest: Manifest, node: Node, what: string): string[] {
  if (!yaml().isSeq(node)) throw manifest.at(node, `${what} must be a list`);
  return node.items.map((item, i) => text(manifest, item as Node, `${what}[${i}]`));
}

/**
 * The course of the package at `root`: its lessons and exercises, from content/course.yaml (or the
 * cache of it). Throws a UserError naming file, line and field when the file is wrong, or when an
 * exercise's files are missing.
 */
export async function loadCourse(root = packageRoot()): Promise<Course> {
  const file = path.join(root, 'content', 'course.yaml');
  const source = await readFile(file, 'utf8');
  const cached = parsedCourses.read(root, source);
  if (cached) return cached;
  const course = parseCourse(root, path.relative(process.cwd(), file) || file, source);
  parsedCourses.write(root, source, course);
  return course;
}

/**
 * Courses parsed before, by the root, course.yaml's text and this module's code (a change to the
 * parsing makes every cached course stale): parsing the YAML (and loading the library) is ~100 ms
 * of every command's start. The files the course names are looked for again on every load.
 */
const parsedCourses = {
  cache: new JsonCache<Course>('course'),
  /** This module's code, read once. */
  code: undefined as string | undefined,
  at(root: string, text: string): string {
    this.code ??= (() => {
      try {
        return readFileSync(fileURLToPath(import.meta.url), 'utf8');
      } catch {
        return ''; // A module that cannot read itself: the text alone keys it.
      }
    })();
    return this.cache.at(root, text, this.code);
  },
  read(root: string, text: string): Course | null {
    const course = this.cache.read(this.at(root, text));
    const complete = course?.exercises.every((e) =>
      ['exercises', 'solutions'].every((dir) => existsSync(path.join(root, dir, e.id, e.file))),
    );
    return complete ? course : null;
  },
  write(root: string, text: string, course: Course): void {
    this.cache.write(this.at(root, text), course);
  },
};

/** course.yaml's text, validated: the lessons, and each exercise with the files it names. */
function parseCourse(root: string, shown: string, source: string): Course {
  const manifest = new Manifest(shown, source);
  const top = manifest.root;
  if (!top || !yaml().isMap(top))
    throw manifest.at(top, 'the course must be a mapping with lessons: and exercises:');
  const lessons = texts(manifest, field(manifest, top, 'lessons', 'the course'), 'lessons');
  const list = field(manifest, top, 'exercises', 'the course');
  if (!yaml().isSeq(list)) throw manifest.at(list, 'exercises must be a list');
  const seen = new Set<string>();
  const exercises = list.items.map((node, index): Exercise => {
    const item = node as Node;
    const where = `exercises[${index}]`;
    const id = text(manifest, field(manifest, item, 'id', where), `${where}.id`);
    const at = `exercise '${id}'`;
    if (!/^[a-z][a-z0-9-]*$/.test(id))
      throw manifest.at(item, `${at}: id must be lower-case letters, digits and dashes`);
    if (seen.has(id)) throw manifest.at(item, `${at}: the id is used twice`);
    seen.add(id);
    const lessonNode = field(manifest, item, 'lesson', at);
    const lesson = text(manifest, lessonNode, `${at}.lesson`);
    if (!lessons.includes(lesson))
      throw manifest.at(lessonNode, `${at}: lesson '${lesson}' is not in lessons:`);
    const tierNode = field(manifest, item, 'tier', at);
    const tier = text(manifest, tierNode, `${at}.tier`) as Tier;
    if (!TIERS.includes(tier)) throw manifest.at(tierNode, `${at}: tier must be one of ${TIERS.join(', ')}`);
    const filesNode = field(manifest, item, 'files', at);
    const files = texts(manifest, filesNode, `${at}.files`);
    if (files.length !== 1)
      throw manifest.at(filesNode, `${at}: files must name exactly one file (an exercise is one file)`);
    const hintsNode = field(manifest, item, 'hints', at);
    const hints = texts(manifest, hintsNode, `${at}.hints`);
    if (hints.length < 3)
      throw manifest.at(hintsNode, `${at}: give at least 3 hints, each more specific than the last`);
    const exercise: Exercise = {
      id,
      title: text(manifest, field(manifest, item, 'title', at), `${at}.title`),
      lesson,
      tier,
      file: files[0]!,
      hints,
      statement: 'README.md',
      goal:
        yaml().isMap(item) && item.has('goal')
          ? text(manifest, item.get('goal', true) as Node, `${at}.goal`)
          : null,
    };
    for (const dir of ['exercises', 'solutions']) {
      if (!existsSync(path.join(root, dir, id, exercise.file))) {
        throw manifest.at(filesNode, `${at}: ${dir}/${id}/${exercise.file} does not exist`);
      }
    }
    return exercise;
  });
  return { root, lessons, exercises };
}

export function findExercise(course: Course, id: string): Exercise {
  const exercise = course.exercises.find((e) => e.id === id);
  if (!exercise) {
    const guess = didYouMean(
      id,
      course.exercises.map((e) => ({ id: e.id, words: e.title })),
    );
    throw new UserError(
      `no exercise '${id}'${guess ? ` — ${guess}` : ''}`,
      `run 'racelings list' to see the exercises (${course.exercises.map((e) => e.id).join(', ')})`,
    );
  }
  return exercise;
}
