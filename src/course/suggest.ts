/** "Did you mean …?" for ids a person typed: the nearest by edit distance, or one whose words match. */
import { distance } from 'fastest-levenshtein';

export interface Candidate {
  id: string;
  /** Other words that name it (a title, a summary): `deadlock` finds the liveness lesson. */
  words?: string;
}

/**
 * The candidates `typed` most likely meant: ids within a third of its length in edits (at least
 * 2), else those whose words contain it; at most three, nearest first.
 */
export function suggestions(typed: string, candidates: readonly Candidate[]): string[] {
  const word = typed.toLowerCase();
  const limit = Math.max(2, Math.floor(word.length / 3));
  const near = candidates
    .map((c) => ({ id: c.id, d: distance(word, c.id.toLowerCase()) }))
    .filter((c) => c.d <= limit)
    .sort((a, b) => a.d - b.d)
    .map((c) => c.id);
  if (near.length > 0) return near.slice(0, 3);
  const stem = word.replace(/(s|es|ing|ed)$/, '');
  return candidates
    .filter((c) => stem.length >= 3 && `${c.id} ${c.words ?? ''}`.toLowerCase().includes(stem))
    .map((c) => c.id)
    .slice(0, 3);
}

/** " — did you mean counter?" or "" when nothing is near. */
export function didYouMean(typed: string, candidates: readonly Candidate[]): string {
  const found = suggestions(typed, candidates);
  if (found.length === 0) return '';
  return `did you mean ${found.length === 1 ? found[0] : `${found.slice(0, -1).join(', ')} or ${found.at(-1)}`}?`;
}
