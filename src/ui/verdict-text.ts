import type { Exercise } from '../course/types.js';
import type { Verdict } from '../grader/verdict.js';
import { paint } from './style.js';
import { renderTimeline } from './timeline-text.js';

/** A verdict for a person reading plain text: what happened, the interleaving, what to do next. */
export function renderVerdict(
  verdict: Verdict,
  exercise: Exercise,
  options: { width: number; color: boolean },
): string[] {
  const { color } = options;
  const ms = `${verdict.durationMs} ms`;
  if (verdict.passed) {
    return [
      `${paint('green', '✓ passed', color)} ${paint('bold', exercise.id, color)} — ${verdict.reason} (${ms})`,
    ];
  }
  if (verdict.setupProblem !== null) {
    return [
      `${paint('yellow', '! not graded', color)} ${paint('bold', exercise.id, color)} — ${verdict.setupProblem}`,
    ];
  }
  const lines = [
    `${paint('red', '✗ failed', color)} ${paint('bold', exercise.id, color)} — ${verdict.reason}`,
  ];
  if (verdict.diagnostics.length > 1) lines.push(...verdict.diagnostics.map((d) => `  ${d}`));
  const timeline = renderTimeline(verdict, options);
  if (timeline.length > 0) lines.push('', ...timeline, '');
  if (verdict.output.length > 0)
    lines.push('console output in this schedule:', ...verdict.output.map((l) => `  ${l}`), '');
  lines.push(paint('dim', `explored: ${verdict.explored} · ${ms}`, color));
  if (verdict.replay)
    lines.push(paint('dim', `replay:   racelings check ${exercise.id} --replay ${verdict.replay}`, color));
  lines.push(paint('dim', `stuck?    racelings hint ${exercise.id}`, color));
  return lines;
}
