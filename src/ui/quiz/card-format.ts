import type { Key } from 'ink';
import type { ReactNode } from 'react';
import type { Card } from '../../quiz/cards.js';
import type { Grade } from '../../quiz/scheduler.js';

/** What a card reports once the learner has answered or revealed it. */
export type Outcome =
  | { kind: 'answered'; correct: boolean }
  /** Self-graded: the learner rates their own recall; a drill suggests a grade from its rubric. */
  | { kind: 'self'; suggested?: Grade; ticked?: number };

/**
 * One question format: its screen state, a pure step per key press, and a view. Keys are reduced,
 * not handled in closures, so fast typing or a paste never acts on a state that has not rendered yet.
 */
export interface CardFormat<C extends Card, S> {
  init(card: C): S;
  key(card: C, state: S, input: string, key: Key): S;
  /** Set once the learner has submitted (or revealed) the card. */
  outcome(card: C, state: S): Outcome | undefined;
  /** The card at `width` columns (the terminal's). */
  View(props: { card: C; state: S; width: number }): ReactNode;
}

/** The 0-based item a digit key picks (`'1'` is the first), or undefined for other keys. */
export function digitIndex(input: string, count: number): number | undefined {
  if (!/^[1-9]$/.test(input)) return undefined;
  const index = Number(input) - 1;
  return index < count ? index : undefined;
}

/** Index after moving by delta, wrapping at both ends. */
export function wrap(index: number, delta: number, count: number): number {
  return (index + delta + count) % count;
}

/** Adds the item if absent, removes it if present. */
export function toggled(items: readonly number[], item: number): number[] {
  return items.includes(item) ? items.filter((value) => value !== item) : [...items, item];
}

export function sameSet(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((value) => b.includes(value));
}
