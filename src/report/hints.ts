/** The hints seen so far, as a numbered list in which code is laid out as code (tutor and `hint` alike). */
import { renderMarkdown } from './markdown.js';

/**
 * Hints 1..seen of `hints`, each as its terminal lines: "hint 1 of 3:" then the hint as markdown,
 * so a fenced block reads as formatted code. The latest is the last.
 */
export function hintBlocks(
  hints: readonly string[],
  seen: number,
  options: { width: number; color: boolean },
): string[][] {
  return hints
    .slice(0, seen)
    .map((hint, i) => renderMarkdown(`**hint ${i + 1} of ${hints.length}:** ${hint}`, options));
}

/** The same hints as one list of lines (the `hint` command prints them all). */
export function hintLines(
  hints: readonly string[],
  seen: number,
  options: { width: number; color: boolean },
): string[] {
  return hintBlocks(hints, seen, options).flat();
}
