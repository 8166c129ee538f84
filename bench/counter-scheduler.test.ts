/**
 * The baseline the cold `racelings check counter` is timed against (npm run bench): a plain vitest
 * run of a fast-check scheduler test of the counter's reference solution, as a learner could write
 * one. fast-check shuffles the store's replies at random; it neither shrinks a schedule nor sees a
 * deadlock, which is why racelings has an explorer of its own.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { type KV, ViewCounter } from '../solutions/counter/counter.js';

it('counts every hit, whatever order the store answers in', async () => {
  await fc.assert(
    fc.asyncProperty(fc.scheduler(), fc.integer({ min: 2, max: 4 }), async (s, hits) => {
      const data = new Map<string, number>();
      const kv: KV = {
        get: s.scheduleFunction(async (key: string) => data.get(key)),
        set: s.scheduleFunction(async (key: string, value: number) => {
          data.set(key, value);
        }),
      };
      const counter = new ViewCounter(kv);
      await s.waitFor(Promise.all(Array.from({ length: hits }, () => counter.hit('home'))));
      expect(await s.waitFor(counter.count('home'))).toBe(hits);
    }),
    { numRuns: 200 },
  );
});
