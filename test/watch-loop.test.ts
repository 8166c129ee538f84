import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openContext } from '../src/commands/context.js';
import { type WatchEvent, WatchLoop } from '../src/commands/watch-loop.js';
import { findExercise, loadCourse } from '../src/course/course.js';
import type { GradeInput, Grader } from '../src/grader/grader.js';
import type { Verdict } from '../src/grader/verdict.js';
import { createWorkspace } from '../src/workspace/init.js';
import { tempDir } from './temp.js';

/** A grader whose gradings finish when the test says; it notes what the file held when each began. */
class HeldGrader {
  read: string[] = [];
  private release: Array<() => void> = [];
  grade(input: GradeInput): Promise<Verdict> {
    this.read.push(readFileSync(input.file, 'utf8'));
    return new Promise((resolve) => {
      this.release.push(() =>
        resolve({
          id: input.exercise,
          passed: false,
          reason: 'held',
          invariant: null,
          schedule: [],
          tasks: [],
          replay: null,
          explored: '',
          workload: null,
          notes: [],
          durationMs: 1,
          diagnostics: [],
          output: [],
          setupProblem: null,
        }),
      );
    });
  }
  finishOne() {
    this.release.shift()?.();
  }
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('WatchLoop', () => {
  it('grades once more, with the newest content, however many saves arrive during a grading', async () => {
    const course = await loadCourse();
    const dir = path.join(tempDir('loop'), 'ws');
    await createWorkspace(dir, course);
    const ctx = await openContext({ workspace: dir, color: false, json: true });
    const exercise = findExercise(ctx.course, 'counter');
    const file = path.join(dir, 'exercises', 'counter', exercise.file);
    const grader = new HeldGrader();
    const events: WatchEvent[] = [];
    const loop = new WatchLoop(ctx, grader as unknown as Grader, (event) => events.push(event));
    loop.watch(exercise);

    loop.check();
    await flush();
    for (const version of ['one', 'two', 'three']) {
      writeFileSync(file, `// ${version}\n`);
      loop.check();
    }
    grader.finishOne();
    // Recording the first verdict's progress reads and writes the state file before the next grading.
    while (grader.read.length < 2) await flush();
    grader.finishOne();
    await loop.settled();

    expect(grader.read).toHaveLength(2);
    expect(grader.read[1]).toBe('// three\n');
    expect(events.map((e) => e.type)).toEqual(['checking', 'verdict', 'checking', 'verdict']);
    await loop.close();
  });
});
