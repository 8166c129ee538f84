import { mulberry32 } from '../../random.js';

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

function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
