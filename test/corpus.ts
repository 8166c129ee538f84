import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Grader } from '../src/grader/grader.js';
import type { Verdict } from '../src/grader/verdict.js';

const ROOT = path.resolve(import.meta.dirname, '..');
/** The bar: a wrong fix fails and a right one passes, 20 runs out of 20. */
export const RUNS = 20;

const stable = (v: Verdict) => JSON.stringify([v.passed, v.reason, v.schedule, v.replay, v.explored]);

/**
 * Grades every fix in test/corpus/<exercise>/ RUNS times through the real grader process, plus
 * the shipped exercise and its reference solution.
 */
export function corpusSuite(exercise: string, file: string): void {
  const grader = new Grader();
  afterAll(() => grader.close());
  const dir = path.join(ROOT, 'test', 'corpus', exercise);
  const cases = [
    {
      name: `the shipped ${exercise} exercise`,
      file: path.join(ROOT, 'exercises', exercise, file),
      right: false,
    },
    {
      name: `the reference solution of ${exercise}`,
      file: path.join(ROOT, 'solutions', exercise, file),
      right: true,
    },
    ...readdirSync(dir).map((f) => ({ name: f, file: path.join(dir, f), right: f.startsWith('right-') })),
  ];
  const wrong = cases.filter((c) => !c.right).length - 1;
  const right = cases.filter((c) => c.right).length - 1;

  describe(`${exercise} corpus`, () => {
    it('holds at least 6 wrong fixes and 3 right ones', () => {
      expect(wrong).toBeGreaterThanOrEqual(6);
      expect(right).toBeGreaterThanOrEqual(3);
    });
    for (const c of cases) {
      it(`${c.right ? 'passes' : 'fails'}: ${c.name}, ${RUNS} runs out of ${RUNS}`, async () => {
        const verdicts: Verdict[] = [];
        for (let i = 0; i < RUNS; i++) {
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
      });
    }
  });
}
