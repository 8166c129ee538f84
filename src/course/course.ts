import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { UserError } from '../errors.js';
import { didYouMean } from './suggest.js';
import type { Course, Exercise, Tier } from './types.js';

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
  private readonly lines = new LineCounter();
  readonly root: Node | null;

  constructor(
    private readonly file: string,
    text: string,
  ) {
    const doc = parseDocument(text, { lineCounter: this.lines, prettyErrors: false });
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
  if (!isMap(item)) throw manifest.at(item, `${where} must be a mapping`);
  const value = item.get(key, true) as Node | undefined;
  if (value === undefined) throw manifest.at(item, `${where}: '${key}' is missing`);
  return value;
}

function text(manifest: Manifest, node: Node, what: string): string {
  if (!isScalar(node) || typeof node.value !== 'string' || node.value.trim() === '') {
    throw manifest.at(node, `${what} must be a non-empty string`);
  }
  return node.value;
}

function texts(manifest: Manifest, node: Node, what: string): string[] {
  if (!isSeq(node)) throw manifest.at(node, `${what} must be a list`);
  return node.items.map((item, i) => text(manifest, item as Node, `${what}[${i}]`));
}

export async function loadCourse(root = packageRoot()): Promise<Course> {
  const file = path.join(root, 'content', 'course.yaml');
  const shown = path.relative(process.cwd(), file) || file;
  const manifest = new Manifest(shown, await readFile(file, 'utf8'));
  const top = manifest.root;
  if (!top || !isMap(top))
    throw manifest.at(top, 'the course must be a mapping with lessons: and exercises:');
  const lessons = texts(manifest, field(manifest, top, 'lessons', 'the course'), 'lessons');
  const list = field(manifest, top, 'exercises', 'the course');
  if (!isSeq(list)) throw manifest.at(list, 'exercises must be a list');
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
        isMap(item) && item.has('goal') ? text(manifest, item.get('goal', true) as Node, `${at}.goal`) : null,
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
