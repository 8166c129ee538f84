import type { Step, Verdict } from '../grader/verdict.js';
import { formatValue } from '../harness/format.js';
import { paint } from './style.js';

/** How one step reads in its task's column. */
export function cellText(step: Step): string {
  if (step.op === 'call') return '▶ starts';
  if (step.op === 'return' || step.op === 'throw') return step.result;
  return `${step.op}(${step.args.map(formatValue).join(', ')}) ${step.result}`;
}

function pad(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text + ' '.repeat(width - chars.length);
  return `${chars.slice(0, width - 1).join('')}…`;
}

/** Rows of the timeline: one column per task, rows in global order. */
export function timelineRows(
  verdict: Pick<Verdict, 'schedule' | 'tasks'>,
  width: number,
): { header: string[]; rows: string[][] } {
  const columns = verdict.tasks.map((label) => label.split(' ')[0]!);
  const cellWidth = Math.max(16, Math.floor((width - 5) / Math.max(1, columns.length)) - 2);
  const header = verdict.tasks.map((label) => pad(label, cellWidth));
  const rows = verdict.schedule.map((step) =>
    columns.map((column) => pad(column === step.task ? cellText(step) : '', cellWidth)),
  );
  return { header, rows };
}

/** The failing schedule as text, ending with the broken invariant in words. */
export function renderTimeline(verdict: Verdict, options: { width: number; color: boolean }): string[] {
  if (verdict.schedule.length === 0) return [];
  const { header, rows } = timelineRows(verdict, options.width);
  const number = (n: number | string) => String(n).padStart(3);
  const lines = [paint('bold', `${number('#')}  ${header.join('  ')}`.trimEnd(), options.color)];
  rows.forEach((cells, i) => {
    const line = `${number(i + 1)}  ${cells.join('  ')}`.trimEnd();
    const step = verdict.schedule[i]!;
    const failedHere = step.result === 'fails' || step.op === 'throw';
    lines.push(failedHere ? paint('yellow', line, options.color) : line);
  });
  if (verdict.invariant) lines.push(paint('red', `  ✗ ${verdict.invariant}`, options.color));
  return lines;
}
