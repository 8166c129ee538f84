import { describe, expect, it } from 'vitest';
import { linearize, type SequentialModel } from '../src/explorer/linearizability.js';
import type { TaskOutcome } from '../src/explorer/scenario.js';

/** A register: write(v) answers nothing, read answers the value. */
const register: SequentialModel<number, ['w', number] | ['r']> = {
  apply: (state, call) =>
    call[0] === 'w' ? { state: call[1], answer: undefined } : { state, answer: state },
  key: String,
};

const outcome = (arrivedAt: number, settledAt: number, value?: unknown): TaskOutcome => ({
  label: 't',
  status: 'resolved',
  value,
  arrivedAt,
  settledAt,
});

describe('linearize', () => {
  it('finds an order of overlapping calls that explains their answers', () => {
    // The read overlaps the write: it may come before it (0) or after it (1).
    for (const seen of [0, 1]) {
      const result = linearize(register, 0, [['w', 1], ['r']], [outcome(0, 5), outcome(1, 4, seen)]);
      expect(result?.order).toEqual(seen === 1 ? [0, 1] : [1, 0]);
    }
  });

  it('respects real time: a read that began after a write finished must see it', () => {
    expect(linearize(register, 0, [['w', 1], ['r']], [outcome(0, 1), outcome(2, 3, 0)])).toBeNull();
  });

  it('ignores real time between calls on different objects, as locality allows', () => {
    const calls: (['w', number] | ['r'])[] = [['w', 1], ['r']];
    const outcomes = [outcome(0, 1), outcome(2, 3, 0)];
    const separate = linearize(register, 0, calls, outcomes, { objects: (i) => [i === 0 ? 'x' : 'y'] });
    expect(separate).not.toBeNull();
  });

  it('checks the final state the run left', () => {
    const calls: (['w', number] | ['r'])[] = [
      ['w', 1],
      ['w', 2],
    ];
    const outcomes = [outcome(0, 5), outcome(1, 4)];
    expect(linearize(register, 0, calls, outcomes, { accept: (s) => s === 1 })?.order).toEqual([1, 0]);
    expect(linearize(register, 0, calls, outcomes, { accept: (s) => s === 3 })).toBeNull();
  });
});
