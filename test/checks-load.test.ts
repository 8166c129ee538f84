import { describe, expect, it } from 'vitest';
import { CHECKS } from '../src/checks/index.js';
import { CHECK_IDS, loadCheck } from '../src/checks/load.js';

describe('loading one check on demand (what a grader does)', () => {
  it('knows the same exercises as the list of every check', () => {
    expect([...CHECK_IDS].sort()).toEqual(Object.keys(CHECKS).sort());
  });

  it('gives the very check of that list for each exercise', async () => {
    for (const id of CHECK_IDS) expect(await loadCheck(id), id).toBe(CHECKS[id]);
  });

  it('gives nothing for an exercise it does not know, even one named like a property of every object', async () => {
    for (const id of ['nothing-here', 'constructor', '__proto__', 'toString'])
      expect(await loadCheck(id), id).toBeUndefined();
  });
});
