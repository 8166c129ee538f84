import { describe, expect, it } from 'vitest';
import { CHECKS } from '../src/checks/index.js';
import { CHECK_IDS, loadCheck } from '../src/checks/load.js';
import { loadCourse } from '../src/course/course.js';

describe('loading one check on demand (what a grader does)', () => {
  it('has a check for every exercise of the course, and no other', async () => {
    const course = await loadCourse();
    expect([...CHECK_IDS].sort()).toEqual(course.exercises.map((e) => e.id).sort());
  });

  it('gives each exercise its own check, the one the list of every check holds', async () => {
    for (const id of CHECK_IDS) {
      const check = await loadCheck(id);
      expect(check?.exercise, id).toBe(id);
      expect(check, id).toBe(CHECKS[id]);
    }
  });

  it('gives nothing for an exercise it does not know, even one named like a property of every object', async () => {
    for (const id of ['nothing-here', 'constructor', '__proto__', 'toString'])
      expect(await loadCheck(id), id).toBeUndefined();
  });
});
