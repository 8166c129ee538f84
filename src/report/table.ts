import { paint } from './paint.js';
import { type Line, type Span, wrapSpans } from './wrap.js';

export type Align = 'left' | 'right' | 'center' | null;

export interface TableInput {
  header: Span[][];
  rows: Span[][][];
  align: Align[];
}

const cellText = (cell: Span[]) => cell.map((span) => span.text).join('');
const longest = (parts: string[]) => Math.max(0, ...parts.map((part) => Array.from(part).length));

/**
 * Column widths that fit `width`: natural widths, the widest column shrunk first — down to its longest
 * word before any column breaks a word, and never below 4 cells.
 */
function fitColumns(natural: number[], words: number[], width: number): number[] {
  const widths = natural.map((w) => Math.max(1, w));
  const room = width - (3 * widths.length + 1);
  let total = widths.reduce((a, b) => a + b, 0);
  for (const floor of [words, widths.map(() => 4)]) {
    while (total > room) {
      let widest = -1;
      widths.forEach((w, i) => {
        if (w > Math.max(4, floor[i] ?? 0) && (widest < 0 || w > (widths[widest] ?? 0))) widest = i;
      });
      if (widest < 0) break;
      widths[widest] = (widths[widest] ?? 0) - 1;
      total -= 1;
    }
  }
  return widths;
}

function pad(line: Line, width: number, align: Align): string {
  const gap = Math.max(0, width - line.width);
  if (align === 'right') return ' '.repeat(gap) + line.text;
  if (align === 'center') {
    const left = Math.floor(gap / 2);
    return ' '.repeat(left) + line.text + ' '.repeat(gap - left);
  }
  return line.text + ' '.repeat(gap);
}

/** A box-drawn table no wider than `width` (unless even 4-cell columns cannot fit); cells wrap. */
export function renderTable(table: TableInput, width: number, color: boolean): string[] {
  const all = [table.header, ...table.rows];
  const columns = table.header.length;
  const column = (c: number) => all.map((row) => cellText(row[c] ?? []));
  const natural = Array.from({ length: columns }, (_, c) => longest(column(c).flatMap((t) => t.split('\n'))));
  const words = Array.from({ length: columns }, (_, c) => longest(column(c).flatMap((t) => t.split(/\s+/))));
  const widths = fitColumns(natural, words, width);
  const border = (left: string, mid: string, right: string) =>
    paint(left + widths.map((w) => '─'.repeat(w + 2)).join(mid) + right, { dim: true }, color);
  const bar = paint('│', { dim: true }, color);

  const renderRow = (row: Span[][], header: boolean): string[] => {
    const cells = widths.map((w, c) => {
      const spans = (row[c] ?? []).map((span) => ({
        ...span,
        style: { ...span.style, bold: header || span.style.bold },
      }));
      return wrapSpans(spans, w, color);
    });
    const height = Math.max(...cells.map((cell) => cell.length));
    return Array.from({ length: height }, (_, i) => {
      const parts = widths.map((w, c) =>
        pad(cells[c]?.[i] ?? { text: '', width: 0 }, w, header ? 'left' : (table.align[c] ?? null)),
      );
      return `${bar} ${parts.join(` ${bar} `)} ${bar}`;
    });
  };

  const body = table.rows.map((row) => renderRow(row, false));
  // Once a cell wraps, rows are hard to tell apart without a rule between them.
  const ruled = body.some((lines) => lines.length > 1);
  return [
    border('┌', '┬', '┐'),
    ...renderRow(table.header, true),
    border('├', '┼', '┤'),
    ...body.flatMap((lines, i) => (ruled && i > 0 ? [border('├', '┼', '┤'), ...lines] : lines)),
    border('└', '┴', '┘'),
  ];
}
