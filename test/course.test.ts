import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCourse } from '../src/course/course.js';
import { tempDir } from './temp.js';

const ROOT = path.resolve(import.meta.dirname, '..');

/** A copy of the package's content with course.yaml changed by `edit`. */
function courseWith(edit: (yaml: string) => string): string {
  const root = tempDir('course');
  for (const dir of ['content', 'exercises', 'solutions'])
    cpSync(path.join(ROOT, dir), path.join(root, dir), { recursive: true });
  const file = path.join(root, 'content', 'course.yaml');
  writeFileSync(file, edit(readFileSync(file, 'utf8')));
  return root;
}

const lineOf = (yaml: string, text: string) => yaml.split('\n').findIndex((line) => line.includes(text)) + 1;

describe('the course manifest', () => {
  it('lists the exercises grouped by lesson, each with a lesson, a tier, one file and at least 3 hints', async () => {
    const course = await loadCourse(ROOT);
    expect(course.exercises[0]?.id).toBe('counter');
    // A lesson's exercises sit together, so the exercise list reads lesson by lesson.
    const lessons = course.exercises.map((e) => e.lesson).filter((lesson, i, all) => lesson !== all[i - 1]);
    expect(new Set(lessons).size).toBe(lessons.length);
    for (const exercise of course.exercises) {
      expect(course.lessons).toContain(exercise.lesson);
      expect(exercise.hints.length).toBeGreaterThanOrEqual(3);
    }
  });

  it('names file, line and field of a missing field', async () => {
    const root = courseWith((yaml) => yaml.replace('    tier: async\n', ''));
    const yaml = readFileSync(path.join(root, 'content', 'course.yaml'), 'utf8');
    await expect(loadCourse(root)).rejects.toThrow(
      new RegExp(`course\\.yaml:${lineOf(yaml, '- id: counter')}: exercise 'counter': 'tier' is missing`),
    );
  });

  it('names the line of a value of the wrong kind', async () => {
    const root = courseWith((yaml) => yaml.replace('tier: async', 'tier: threads'));
    const yaml = readFileSync(path.join(root, 'content', 'course.yaml'), 'utf8');
    await expect(loadCourse(root)).rejects.toThrow(
      new RegExp(`course\\.yaml:${lineOf(yaml, 'tier: threads')}: exercise 'counter': tier must be one of`),
    );
  });

  it('names the line of a YAML syntax error', async () => {
    const root = courseWith((yaml) => yaml.replace('  - id: cache', '  - id: [cache'));
    await expect(loadCourse(root)).rejects.toThrow(/course\.yaml:\d+: /);
  });

  it('rejects an exercise whose lesson is not in the lessons list', async () => {
    const root = courseWith((yaml) => yaml.replace('lesson: liveness', 'lesson: nowhere'));
    await expect(loadCourse(root)).rejects.toThrow(
      /exercise 'transfer': lesson 'nowhere' is not in lessons:/,
    );
  });

  // A course parsed before comes from the cache; it must never hide a change or a missing file.
  it('loads a course parsed before the same, and sees an edit or a missing file at once', async () => {
    const root = courseWith((yaml) => yaml);
    const first = await loadCourse(root);
    expect(await loadCourse(root)).toEqual(first);
    const file = path.join(root, 'content', 'course.yaml');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace('title: The view counter that loses hits', 'title: Lost again'),
    );
    expect((await loadCourse(root)).exercises[0]?.title).toBe('Lost again');
    rmSync(path.join(root, 'solutions', 'counter'), { recursive: true });
    await expect(loadCourse(root)).rejects.toThrow(/solutions\/counter\/counter\.ts does not exist/);
  });
});
