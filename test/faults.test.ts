import { afterAll, describe, expect, it } from 'vitest';
import { CASES } from './faults/cases.js';
import { Harness } from './faults/harness.js';
import { runCase } from './faults/suite.js';

/** The quick part of `npm run faults`: each case a test, each one leaving nothing behind. */
describe('faults (the subset of npm run faults that npm test runs)', () => {
  const h = new Harness();
  afterAll(async () => {
    expect(await h.close()).toBe('');
  });
  it.each(CASES.filter((c) => c.quick).map((c) => [c.id, c] as const))('%s', async (_id, fault) => {
    const outcome = await runCase(h, fault);
    expect(outcome.ok, `${fault.fault} → expected ${fault.expected}; observed ${outcome.observed}`).toBe(
      true,
    );
  });
});
