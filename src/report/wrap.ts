/**
 * The one line-breaking rule of racelings: fill lines of at most `width` cells, break at spaces,
 * cut a word only when it is wider than a whole line. Styled runs (spans) keep their style.
 */
import { paint, type Style } from './paint.js';

/** A run of text with one style; `text: '\n'` is a hard line break. */
export interface Span {
  text: string;
  style: Style;
}

/** A wrapped line: the string (escape codes included when colour is on) and its width in cells. */
export interface Line {
  text: string;
  width: number;
}

/** Cells a plain string takes; the product's text has no double-width characters: one per code point. */
export function cellWidth(text: string): number {
  return Array.from(text).length;
}

/** A word: the pieces between two breakable spaces, each keeping its own style. */
type Word = Span[];

function splitWords(spans: Span[]): (Word | 'break')[] {
  const words: (Word | 'break')[] = [];
  let current: Word = [];
  const flush = () => {
    if (current.length > 0) words.push(current);
    current = [];
  };
  for (const span of spans) {
    if (span.text === '\n') {
      flush();
      words.push('break');
      continue;
    }
    for (const part of span.text.split(/(\s+)/)) {
      if (part === '') continue;
      if (/^\s+$/.test(part)) flush();
      else current.push({ text: part, style: span.style });
    }
  }
  flush();
  return words;
}

const wordWidth = (word: Word) => word.reduce((sum, piece) => sum + cellWidth(piece.text), 0);

/** Cuts a word wider than a whole line into line-sized pieces. */
function chop(word: Word, width: number): Word[] {
  const chunks: Word[] = [];
  let chunk: Word = [];
  let used = 0;
  for (const piece of word) {
    let rest = Array.from(piece.text);
    while (rest.length > 0) {
      const take = rest.slice(0, width - used);
      chunk.push({ text: take.join(''), style: piece.style });
      used += take.length;
      rest = rest.slice(take.length);
      if (used === width) {
        chunks.push(chunk);
        chunk = [];
        used = 0;
      }
    }
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}

/** Fills lines of at most `width` cells with the spans, breaking at spaces. */
export function wrapSpans(spans: Span[], width: number, color: boolean): Line[] {
  const limit = Math.max(1, width);
  const lines: Line[] = [];
  let words: Word[] = [];
  let used = 0;
  const emit = () => {
    const text = words
      .map((word) => word.map((piece) => paint(piece.text, piece.style, color)).join(''))
      .join(' ');
    lines.push({ text, width: used });
    words = [];
    used = 0;
  };
  for (const item of splitWords(spans)) {
    if (item === 'break') {
      emit();
      continue;
    }
    for (const word of wordWidth(item) > limit ? chop(item, limit) : [item]) {
      const w = wordWidth(word);
      if (used > 0 && used + 1 + w > limit) emit();
      used += (used > 0 ? 1 : 0) + w;
      words.push(word);
    }
  }
  if (words.length > 0 || lines.length === 0) emit();
  return lines;
}

/**
 * Plain text in lines of at most `width` cells (newlines kept). With `maxLines`, a longer text
 * ends in '…' on its last line rather than running on.
 */
export function wrap(text: string, width: number, options: { maxLines?: number } = {}): string[] {
  const spans = text
    .split('\n')
    .flatMap((part, i): Span[] =>
      (i === 0 ? [] : [{ text: '\n', style: {} }]).concat({ text: part, style: {} }),
    );
  const lines = wrapSpans(spans, width, false).map((line) => line.text);
  const max = options.maxLines;
  if (max === undefined || lines.length <= max) return lines;
  const last = Array.from(lines[max - 1]!);
  const kept = last.length >= width ? last.slice(0, Math.max(0, width - 1)) : last;
  return [...lines.slice(0, max - 1), `${kept.join('')}…`];
}

/** `text` padded with spaces to `width` cells, or cut to `width` with a final '…'. */
export function padTo(text: string, width: number): string {
  const chars = Array.from(text);
  if (chars.length <= width) return text + ' '.repeat(width - chars.length);
  return `${chars.slice(0, Math.max(0, width - 1)).join('')}…`;
}
