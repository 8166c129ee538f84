/**
 * Save → verdict on the warm path: the session, its watcher and the grader without a screen (what
 * `watch --json` runs, and the tutor under its screen), saving the way vim
 * does (write a temporary file, rename it over the exercise), alternating broken and fixed content.
 * And the cold path: `racelings check` in a new process, beside a plain `vitest run`.
 */
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findExercise, loadCourse } from '../course/course.js';
import { Grader } from '../grader/grader.js';
import { execa } from '../processes/execa.js';
import { openWorkplace } from '../session/open.js';
import { Session } from '../session/session.js';
import { watchExercises } from '../session/sources.js';
import { createWorkspace } from '../workspace/init.js';
import { exerciseFile } from '../workspace/workspace.js';

const SAVES = 24;
const COLD_RUNS = 5;
const EXERCISE = 'counter';

const percentile = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
};

export interface WatchFigures {
  /** Save → verdict for saves of the reference solution (a pass) and of the broken file (a failure), ms. */
  pass: { p50: number; p90: number };
  fail: { p50: number; p90: number };
  samples: number;
}

export interface ColdFigures {
  /**
   * A cold `racelings check counter` of the reference solution in a new process, median ms: of a
   * file edited since its last check (compiled and type-checked), and of an unchanged one (its
   * compilation comes from the cache that checks share).
   */
  editedMs: number;
  unchangedMs: number;
  /** A plain `vitest run` of a fast-check scheduler test of the same file, median ms. */
  vitestBaselineMs: number;
  runs: number;
}

/** A new workspace in a temporary folder, and the counter's file in it. */
async function counterWorkspace() {
  const course = await loadCourse();
  const parent = mkdtempSync(path.join(tmpdir(), 'racelings-bench-watch-'));
  const dir = path.join(parent, 'ws');
  await createWorkspace(dir, course);
  const place = await openWorkplace(dir);
  const exercise = findExercise(place.course, EXERCISE);
  const file = exerciseFile(place.ws, exercise);
  const fixed = readFileSync(path.join(course.root, 'solutions', EXERCISE, exercise.file), 'utf8');
  return { course, parent, dir, place, exercise, file, fixed };
}

export async function benchWatch(): Promise<WatchFigures> {
  const { parent, place, exercise, file, fixed } = await counterWorkspace();
  const broken = readFileSync(file, 'utf8');

  const grader = new Grader();
  grader.warm();
  let arrived: ((at: number) => void) | null = null;
  // The first grading (at open) compiles and loads the checker; the learner meets it once, at start.
  const first = new Promise<void>((resolve) => {
    arrived = () => resolve();
  });
  const session = await Session.open(place, grader, {
    route: { name: 'exercise', id: EXERCISE, back: 'quit' },
    onEvent: (event) => {
      if (event.type === 'graded') arrived?.(performance.now());
    },
  });
  const stop = await watchExercises(session);
  const passes: number[] = [];
  const failures: number[] = [];
  try {
    await first;
    for (let i = 0; i < SAVES; i++) {
      const content = `${i % 2 === 0 ? fixed : broken}\n// save ${i}\n`;
      const verdict = new Promise<number>((resolve) => {
        arrived = resolve;
      });
      const temp = path.join(path.dirname(file), `.${exercise.file}.${i}.tmp`);
      writeFileSync(temp, content);
      const saved = performance.now();
      renameSync(temp, file);
      (i % 2 === 0 ? passes : failures).push((await verdict) - saved);
    }
  } finally {
    await stop();
    await session.close();
  }

  rmSync(parent, { recursive: true, force: true });

  const figures = (xs: number[]) => ({
    p50: Math.round(percentile(xs, 50)),
    p90: Math.round(percentile(xs, 90)),
  });
  return {
    pass: figures(passes),
    fail: figures(failures),
    samples: passes.length + failures.length,
  };
}

/**
 * `racelings check counter` in a new process, COLD_RUNS times each for an edited file (a comment
 * that differs each run, so the cache that checks share misses and the file is type-checked) and an
 * unchanged one, interleaved with the vitest baseline so that the medians see the same load.
 */
export async function benchCold(): Promise<ColdFigures> {
  const { course, parent, dir, file, fixed } = await counterWorkspace();
  const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'bin.js');
  const vitest = path.join(course.root, 'node_modules', 'vitest', 'vitest.mjs');
  const timed = async (args: string[], cwd?: string) => {
    const started = performance.now();
    await execa(process.execPath, args, { cwd, stdio: 'ignore', reject: false });
    return performance.now() - started;
  };
  const check = () => timed([bin, 'check', EXERCISE, '--workspace', dir]);
  // Once, so that every unchanged run below finds this content's compilation cached.
  writeFileSync(file, fixed);
  await check();
  const edited: number[] = [];
  const unchanged: number[] = [];
  const baseline: number[] = [];
  for (let i = 0; i < COLD_RUNS; i++) {
    writeFileSync(file, `${fixed}\n// cold run ${process.pid} ${i}\n`);
    edited.push(await check());
    writeFileSync(file, fixed);
    unchanged.push(await check());
    baseline.push(await timed([vitest, 'run', '--config', 'bench/vitest.config.ts'], course.root));
  }
  rmSync(parent, { recursive: true, force: true });
  const median = (xs: number[]) => Math.round(percentile(xs, 50));
  return {
    editedMs: median(edited),
    unchangedMs: median(unchanged),
    vitestBaselineMs: median(baseline),
    runs: COLD_RUNS,
  };
}
