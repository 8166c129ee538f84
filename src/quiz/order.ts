import { mulberry32 } from '../random.js';

/**
 * How an "order the steps" card is graded. A card lists its steps in one correct order and gives
 * each a rank (0, 1, 2 …, never decreasing along the list). Steps of equal rank are interchangeable:
 * they may appear in any order among themselves, so a learner who puts two independent steps (two
 * participants' votes, say) the other way round is not marked wrong. A shown order is a list of
 * step indices, position by position.
 */
export interface RankedSteps {
  steps: readonly string[];
  /** One rank per step, in the order of `steps`. */
  ranks: readonly number[];
}

/** Whether the step now at `position` belongs there: it has the rank the correct order has there. */
export function stepInPlace(card: RankedSteps, shown: readonly number[], position: number): boolean {
  const step = shown[position];
  return step !== undefined && card.ranks[step] === card.ranks[position];
}

/** Whether `shown` (a permutation of the step indices) is one of the card's accepted orders. */
export function isAcceptedOrder(card: RankedSteps, shown: readonly number[]): boolean {
  if (shown.length !== card.steps.length) return false;
  if (new Set(shown).size !== shown.length) return false;
  return shown.every((_, position) => stepInPlace(card, shown, position));
}

/**
 * Every accepted order, each a list of step indices: the product, over the groups of equal rank, of
 * every ordering inside the group. Meant for tests and checks of the content (a card with a group of
 * 7 has 5,040 of them).
 */
export function acceptedOrders(card: RankedSteps): number[][] {
  const groups: number[][] = [];
  card.ranks.forEach((rank, step) => {
    const last = groups.at(-1);
    if (last && card.ranks[last[0]!] === rank) last.push(step);
    else groups.push([step]);
  });
  return groups.reduce<number[][]>(
    (orders, group) => orders.flatMap((prefix) => permutations(group).map((tail) => [...prefix, ...tail])),
    [[]],
  );
}

function permutations(items: readonly number[]): number[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}

/**
 * A shuffled order of n items that depends only on the seed, so a card always shows the same
 * puzzle and tests can predict it; never the identity, so there is always something to do.
 */
export function shuffledOrder(seed: string, n: number): number[] {
  const order = Array.from({ length: n }, (_, index) => index);
  const random = mulberry32(hash(seed));
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  if (n > 1 && order.every((value, index) => value === index)) order.push(order.shift()!);
  return order;
}

/**
 * The order a card's steps are first shown in: its seeded shuffle, unless that happens to be an
 * accepted order already (a swap inside a group), in which case it is rotated by one. The rotation
 * puts a lowest-rank step last, where the highest rank belongs, so it cannot be accepted as long as
 * the card has two ranks or more.
 */
export function puzzleOrder(card: RankedSteps & { id: string }): number[] {
  const order = shuffledOrder(card.id, card.steps.length);
  if (isAcceptedOrder(card, order)) order.push(order.shift()!);
  return order;
}

function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
