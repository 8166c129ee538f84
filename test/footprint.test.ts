import { describe, expect, it } from 'vitest';
import { ALL, Footprint } from '../src/explorer/footprint.js';

const footprint = (...accesses: [string, string, boolean, number?][]) => {
  const f = new Footprint();
  for (const [object, key, write, round] of accesses) f.record(object, key, write, round ?? 0);
  return f;
};

describe('footprint', () => {
  it('makes two steps dependent only when they share a location and one of them writes it', () => {
    expect(footprint(['kv', 'a', false]).conflicts(footprint(['kv', 'a', false]))).toBe(false);
    expect(footprint(['kv', 'a', true]).conflicts(footprint(['kv', 'a', false]))).toBe(true);
    expect(footprint(['kv', 'a', true]).conflicts(footprint(['kv', 'b', true]))).toBe(false);
    expect(footprint(['kv', 'a', true]).conflicts(footprint(['ledger', 'a', true]))).toBe(false);
  });

  it('lets a whole-object access meet every key of the object, and the everything-location meet all', () => {
    expect(footprint(['o1', ALL, false]).conflicts(footprint(['o1', 'size', true]))).toBe(true);
    expect(footprint(['o1', 'x', true]).conflicts(footprint(['o1', ALL, false]))).toBe(true);
    expect(footprint(['o1', ALL, false]).conflicts(footprint(['o1', 'x', false]))).toBe(false);
    expect(footprint([ALL, ALL, true]).conflicts(footprint(['kv', 'a', false]))).toBe(true);
    expect(footprint([ALL, ALL, false]).conflicts(footprint(['kv', 'a', false]))).toBe(false);
    expect(footprint([ALL, ALL, false]).conflicts(footprint(['kv', 'a', true]))).toBe(true);
  });

  it('says in which rounds of its turn a step touched what the later step touches', () => {
    const earlier = footprint(['o1', 'locked', true, 1], ['o1', 'locked', true, 3], ['kv', 'a', false, 0]);
    expect(earlier.conflictRounds(footprint(['o1', 'locked', false]))).toEqual([1, 3]);
    expect(earlier.conflictRounds(footprint(['kv', 'a', false]))).toEqual([]);
  });
});
