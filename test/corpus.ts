import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Grader } from '../src/grader/grader.js';
import type { Verdict } from '../src/grader/verdict.js';

const ROOT = path.resolve(import.meta.dirname, '..');
/**
 * The full bar, `npm run corpus` (RACELINGS_CORPUS_RUNS=20): every case 20 runs out of 20, or a
 * check's own count. `npm test` grades each case twice — the same verdict twice from one warm grader
 * process proves the check deterministic and that a grading leaves nothing behind for the next —
 * and each fix of a slow check once.
 */
const FULL = Number(process.env.RACELINGS_CORPUS_RUNS) || null;
export const RUNS = FULL ?? 2;

const stable = (v: Verdict) => JSON.stringify([v.passed, v.reason, v.schedule, v.replay, v.explored]);

/**
 * Grades every fix in test/corpus/<exercise>/ RUNS times through the real grader process, plus
 * the shipped exercise and its reference solution.
 */
export interface CorpusOptions {
  runs?: number;
  /**
   * Runs of each fix in the corpus, when fewer than `runs` (the shipped exercise and the reference
   * solution always get `runs`): for checks whose every grade starts threads and costs a second.
   */
  fixRuns?: number;
  /** A grading costs seconds (PostgreSQL, worker threads): `npm test` grades each fix once. */
  slow?: boolean;
  /** Each case's time limit (ms), when its runs take longer than vitest's default. */
  timeoutMs?: number;
  /** The least number of wrong and right fixes the corpus must hold. */
  minWrong?: number;
  minRight?: number;
}

export function corpusSuite(exercise: string, file: string, options: CorpusOptions = {}): void {
  const { minWrong = 6, minRight = 3 } = options;
  const full = Math.min(options.runs ?? FULL ?? 20, FULL ?? 20);
  const runs = FULL ? full : Math.min(full, RUNS);
  const fixRuns = FULL
    ? Math.min(options.fixRuns ?? full, full)
    : options.slow
      ? 1
      : Math.min(options.fixRuns ?? runs, runs);
  const grader = new Grader();
  afterAll(() => grader.close());
  const dir = path.join(ROOT, 'test', 'corpus', exercise);
  const cases = [
    {
      name: `the shipped ${exercise} exercise`,
      file: path.join(ROOT, 'exercises', exercise, file),
      right: false,
      runs,
    },
    {
      name: `the reference solution of ${exercise}`,
      file: path.join(ROOT, 'solutions', exercise, file),
      right: true,
      runs,
    },
    ...readdirSync(dir).map((f) => ({
      name: f,
      file: path.join(dir, f),
      right: f.startsWith('right-'),
      runs: fixRuns,
    })),
  ];
  const wrong = cases.filter((c) => !c.right).length - 1;
  const right = cases.filter((c) => c.right).length - 1;

  describe(`${exercise} corpus`, () => {
    it(`holds at least ${minWrong} wrong fixes and ${minRight} right ones`, () => {
      expect(wrong).toBeGreaterThanOrEqual(minWrong);
      expect(right).toBeGreaterThanOrEqual(minRight);
    });
    for (const c of cases) {
      it(
        `${c.right ? 'passes' : 'fails'}: ${c.name}, ${c.runs} runs out of ${c.runs}`,
        async () => {
          const verdicts: Verdict[] = [];
          for (let i = 0; i < c.runs; i++) {
            verdicts.push(await grader.grade({ exercise, file: c.file, shownAs: path.basename(c.file) }));
          }
          const first = verdicts[0]!;
          expect(first.passed, first.reason).toBe(c.right);
          if (!c.right) {
            expect(first.invariant, first.reason).not.toBeNull();
            expect(first.schedule.length).toBeGreaterThan(0);
            expect(first.replay).not.toBeNull();
          }
          expect(new Set(verdicts.map(stable)).size).toBe(1);
        },
        options.timeoutMs,
      );
    }
  });
}
