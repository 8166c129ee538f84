import { describe, expect, it } from 'vitest';
import {
  acceptedOrders,
  isAcceptedOrder,
  puzzleOrder,
  type RankedSteps,
  shuffledOrder,
  stepInPlace,
} from '../src/quiz/order.js';

/** Two-phase commit: the two votes may come either way round, everything else in sequence. */
const twoPhase: RankedSteps & { id: string } = {
  id: 'dt-2pc-order',
  steps: ['prepare sent', 'A votes yes', 'B votes yes', 'commit logged', 'commit sent'],
  ranks: [0, 1, 1, 2, 3],
};
const strict: RankedSteps = { steps: ['load', 'add', 'store'], ranks: [0, 1, 2] };

describe('grading an order card', () => {
  it('accepts the listed order, and a swap inside a group of equal rank', () => {
    expect(isAcceptedOrder(twoPhase, [0, 1, 2, 3, 4])).toBe(true);
    expect(isAcceptedOrder(twoPhase, [0, 2, 1, 3, 4])).toBe(true);
  });

  it('rejects a step moved across ranks, even next to its group', () => {
    expect(isAcceptedOrder(twoPhase, [1, 0, 2, 3, 4])).toBe(false);
    expect(isAcceptedOrder(twoPhase, [0, 1, 3, 2, 4])).toBe(false);
    expect(isAcceptedOrder(strict, [1, 0, 2])).toBe(false);
  });

  it('rejects what is not a permutation of the steps', () => {
    expect(isAcceptedOrder(strict, [0, 1])).toBe(false);
    expect(isAcceptedOrder(strict, [0, 0, 2])).toBe(false);
  });

  it('marks each place by rank, so either vote in either vote slot is in place', () => {
    const shown = [0, 2, 1, 4, 3];
    expect([0, 1, 2, 3, 4].map((position) => stepInPlace(twoPhase, shown, position))).toEqual([
      true,
      true,
      true,
      false,
      false,
    ]);
  });

  it('lists exactly the accepted orders: 2! for one pair, 1 for a strict card, 3!·2! for two groups', () => {
    expect(acceptedOrders(twoPhase)).toEqual([
      [0, 1, 2, 3, 4],
      [0, 2, 1, 3, 4],
    ]);
    expect(acceptedOrders(strict)).toEqual([[0, 1, 2]]);
    const twoGroups: RankedSteps = { steps: ['a', 'b', 'c', 'd', 'e', 'f'], ranks: [0, 0, 0, 1, 2, 2] };
    const orders = acceptedOrders(twoGroups);
    expect(orders).toHaveLength(12);
    expect(new Set(orders.map((order) => order.join())).size).toBe(12);
    for (const order of orders) expect(isAcceptedOrder(twoGroups, order)).toBe(true);
  });
});

describe('the first order shown', () => {
  it('is a seeded permutation, the same each time, never the listed order', () => {
    const order = shuffledOrder('lu-increment-steps', 4);
    expect(order).toEqual(shuffledOrder('lu-increment-steps', 4));
    for (let n = 2; n <= 7; n++) {
      const solved = Array.from({ length: n }, (_, i) => i);
      for (let card = 0; card < 200; card++) {
        const shuffled = shuffledOrder(`card-${card}`, n);
        expect([...shuffled].sort()).toEqual(solved);
        expect(shuffled).not.toEqual(solved);
      }
    }
  });

  it('is never an accepted order, even when the shuffle only swapped steps of one group', () => {
    let rotated = 0;
    for (let card = 0; card < 400; card++) {
      const ranked = { ...twoPhase, id: `card-${card}` };
      const order = puzzleOrder(ranked);
      expect([...order].sort()).toEqual([0, 1, 2, 3, 4]);
      expect(isAcceptedOrder(ranked, order)).toBe(false);
      if (isAcceptedOrder(ranked, shuffledOrder(ranked.id, 5))) rotated++;
    }
    // The rotation is exercised: some shuffles land on the swapped-votes order.
    expect(rotated).toBeGreaterThan(0);
  });
});
