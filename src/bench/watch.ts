/**
 * Save → verdict on the warm path: the watcher and the grader without a screen, saving the way vim
 * does (write a temporary file, rename it over the exercise), alternating broken and fixed content.
 */
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { openContext } from '../commands/context.js';
import { WatchLoop } from '../commands/watch-loop.js';
import { findExercise, loadCourse } from '../course/course.js';
import { Grader } from '../grader/grader.js';
import { createWorkspace } from '../workspace/init.js';
import { exerciseFile } from '../workspace/workspace.js';

const SAVES = 24;
const COLD_RUNS = 5;
const EXERCISE = 'counter';

const percentile = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
};

export async function benchWatch(): Promise<{
  p50: number;
  p90: number;
  samples: number;
  coldCheckMs: number;
}> {
  const course = await loadCourse();
  const parent = mkdtempSync(path.join(tmpdir(), 'racelings-bench-watch-'));
  const dir = path.join(parent, 'ws');
  await createWorkspace(dir, course);
  const ctx = await openContext({ workspace: dir, color: false, json: true });
  const exercise = findExercise(ctx.course, EXERCISE);
  const file = exerciseFile(ctx.ws, exercise);
  const broken = readFileSync(file, 'utf8');
  const fixed = readFileSync(path.join(course.root, 'solutions', EXERCISE, exercise.file), 'utf8');

  const grader = new Grader();
  grader.warm();
  let arrived: ((at: number) => void) | null = null;
  const loop = new WatchLoop(ctx, grader, (event) => {
    if (event.type === 'verdict') arrived?.(performance.now());
  });
  loop.watch(exercise);
  const samples: number[] = [];
  try {
    await loop.start();
    // The first grading compiles and loads the checker; the learner meets it once, at start.
    await new Promise<void>((resolve) => {
      arrived = () => resolve();
      loop.check();
    });
    for (let i = 0; i < SAVES; i++) {
      const content = `${i % 2 === 0 ? fixed : broken}\n// save ${i}\n`;
      const verdict = new Promise<number>((resolve) => {
        arrived = resolve;
      });
      const temp = path.join(path.dirname(file), `.${exercise.file}.${i}.tmp`);
      writeFileSync(temp, content);
      const saved = performance.now();
      renameSync(temp, file);
      samples.push((await verdict) - saved);
    }
  } finally {
    await loop.close();
    grader.close();
  }

  const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'bin.js');
  // A new process each time, so the median says what a learner's `racelings check` costs.
  const cold: number[] = [];
  for (let i = 0; i < COLD_RUNS; i++) {
    const started = performance.now();
    await execa(process.execPath, [bin, 'check', EXERCISE, '--workspace', dir], {
      stdio: 'ignore',
      reject: false,
    });
    cold.push(performance.now() - started);
  }
  const coldCheckMs = Math.round(percentile(cold, 50));
  rmSync(parent, { recursive: true, force: true });

  return {
    p50: Math.round(percentile(samples, 50)),
    p90: Math.round(percentile(samples, 90)),
    samples: samples.length,
    coldCheckMs,
  };
}
