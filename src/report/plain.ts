/** Plain text for a person: lines painted with ANSI colour when the terminal wants it. */
import type { Verdict } from '../grader/verdict.js';
import { paint } from './paint.js';
import { type LayoutLine, layoutLines, layoutVerdict, type ProgressView, TONES } from './verdict.js';

/** Columns to lay plain text out in: the terminal's, at most 140 (longer lines are hard to read). */
export function terminalWidth(stream: { columns?: number } = process.stdout): number {
  return Math.min(stream.columns || 100, 140);
}

/** A laid-out line as text, each piece painted in its tone's style. */
export function paintLine(line: LayoutLine, color: boolean): string {
  return line.map((piece) => paint(piece.text, TONES[piece.tone], color)).join('');
}

/** A verdict as plain lines: the same layout as the tutor's screen, every row of the timeline shown. */
export function renderVerdict(
  verdict: Verdict,
  options: { width: number; color: boolean; progress?: ProgressView },
): string[] {
  const layout = layoutVerdict(verdict, {
    width: options.width,
    id: true,
    mode: 'text',
    progress: options.progress,
  });
  return layoutLines(layout).map((line) => paintLine(line, options.color));
}
