import { describe, expect, it } from 'vitest';
import type { CheckCoverage } from '../src/explorer/workloads.js';
import { passed } from '../src/grader/verdicts.js';

const coverage = (exhaustive: string[], cut: string[]): CheckCoverage => ({
  workloads: exhaustive.length + cut.length,
  exhaustive: exhaustive.length,
  interleavings: 10 * exhaustive.length,
  schedules: 10 * (exhaustive.length + cut.length),
  partial: 10 * cut.length,
  random: 0,
  polls: 0,
  pollsIn: null,
  exhaustiveNames: exhaustive,
  cutNames: cut,
});

const notes = (c: CheckCoverage) => passed({ id: 'counter', durationMs: 1 }, c).notes;

describe('a pass names which workloads were proven and which only searched: the shorter list', () => {
  it('names the one cut workload when the others were exhaustive', () => {
    expect(notes(coverage(['w1', 'w2', 'w3'], ['w4']))).toEqual(['search cut at its budget in: w4']);
  });

  it('names the exhaustive ones when they are fewer (a PostgreSQL check explores few)', () => {
    expect(notes(coverage(['w1'], ['w2', 'w3']))).toEqual(['explored exhaustively: w1']);
  });

  it('says nothing more when every workload was exhaustive, or none', () => {
    expect(notes(coverage(['w1', 'w2'], []))).toEqual([]);
    expect(notes(coverage([], ['w1', 'w2']))).toEqual([]);
  });
});
