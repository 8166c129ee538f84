import { formatValue, operationText } from '../explorer/format.js';
import type { Step, Verdict } from '../grader/verdict.js';
import { paint } from './style.js';

/** A statement with its parameters in place: `WHERE id = $1` with [7] reads `WHERE id = 7`. */
function withParams(sql: string, args: readonly unknown[]): string {
  return sql.replace(/\$(\d+)/g, (whole, n: string) =>
    Number(n) <= args.length ? formatValue(args[Number(n) - 1]) : whole,
  );
}

/** How one step reads in its task's column. */
export function cellText(step: Step): string {
  if (step.op === 'call') return '▶ starts';
  if (step.op === 'return' || step.op === 'throw') return step.result;
  // A SQL statement (its text is the op: `SELECT …`, `COMMIT`) shows its parameters inline.
  if (/^[A-Z]{2,}\b/.test(step.op)) return `${withParams(step.op, step.args)} ${step.result}`;
  return `${operationText(step.op, step.args)} ${step.result}`;
}

/** A cell longer than its column wraps onto at most this many lines; the rest is cut with '…'. */
const MAX_CELL_LINES = 4;

/** `text` in lines of at most `width` characters, broken at spaces where possible. */
function wrapCell(text: string, width: number): string[] {
  const lines: string[] = [];
  let rest = text;
  while ([...rest].length > width) {
    const chars = [...rest];
    if (lines.length === MAX_CELL_LINES - 1) return [...lines, `${chars.slice(0, width - 1).join('')}…`];
    const space = chars.lastIndexOf(' ', width);
    const cut = space > width / 2 ? space : width;
    lines.push(chars.slice(0, cut).join('').trimEnd());
    rest = chars.slice(cut).join('').trimStart();
  }
  return [...lines, rest];
}

function pad(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text + ' '.repeat(width - chars.length);
  return `${chars.slice(0, width - 1).join('')}…`;
}

const number = (n: number | string) => String(n).padStart(3);

/**
 * The timeline laid out: one column per task, one entry per step in global order. A step's entry
 * is its lines, numbered on the first (a long cell, such as a SQL statement, wraps).
 */
export function timelineRows(
  verdict: Pick<Verdict, 'schedule' | 'tasks'>,
  width: number,
): { header: string; steps: string[][] } {
  const columns = verdict.tasks.map((label) => label.split(' ')[0]!);
  const cellWidth = Math.max(16, Math.floor((width - 5) / Math.max(1, columns.length)) - 2);
  const header =
    `${number('#')}  ${verdict.tasks.map((label) => pad(label, cellWidth)).join('  ')}`.trimEnd();
  const steps = verdict.schedule.map((step, i) => {
    const column = columns.indexOf(step.task);
    const cell = wrapCell(cellText(step), cellWidth);
    return cell.map((part, line) => {
      const cells = columns.map((_, c) => pad(c === column ? part : '', cellWidth));
      return `${line === 0 ? number(i + 1) : number('')}  ${cells.join('  ')}`.trimEnd();
    });
  });
  return { header, steps };
}

/** The failing schedule as text, ending with the broken invariant in words. */
export function renderTimeline(verdict: Verdict, options: { width: number; color: boolean }): string[] {
  if (verdict.schedule.length === 0) return [];
  const { header, steps } = timelineRows(verdict, options.width);
  const lines = [paint('bold', header, options.color)];
  steps.forEach((entry, i) => {
    const step = verdict.schedule[i]!;
    const failedHere = step.result === 'fails' || step.op === 'throw';
    for (const line of entry) lines.push(failedHere ? paint('yellow', line, options.color) : line);
  });
  if (verdict.invariant) lines.push(paint('red', `  ✗ ${verdict.invariant}`, options.color));
  return lines;
}
