import terminalLink from 'terminal-link';

/** How a run of inline text looks; `href` marks the text of a link. */
export interface SpanStyle {
  bold?: boolean;
  italic?: boolean;
  code?: boolean;
  dim?: boolean;
  accent?: boolean;
  href?: string;
}

/** A run of inline text with one style; `text: '\n'` is a hard line break. */
export interface Span {
  text: string;
  style: SpanStyle;
}

/** A rendered line: the string (escape codes included when colour is on) and its width in cells. */
export interface Line {
  text: string;
  width: number;
}

/** Cells a plain string takes; lessons use no double-width characters, so one per code point. */
export function cellWidth(text: string): number {
  return Array.from(text).length;
}

const sgr = (open: number, close: number) => (text: string) => `\u001B[${open}m${text}\u001B[${close}m`;
const bold = sgr(1, 22);
const dim = sgr(2, 22);
const italic = sgr(3, 23);
const underline = sgr(4, 24);
const cyan = sgr(36, 39);
const blue = sgr(34, 39);
const magenta = sgr(35, 39);

export function paint(text: string, style: SpanStyle, color: boolean): string {
  if (!color || text === '') return text;
  let out = text;
  if (style.code) out = cyan(out);
  if (style.accent) out = magenta(out);
  if (style.italic) out = italic(out);
  if (style.bold) out = bold(out);
  if (style.dim) out = dim(out);
  if (style.href !== undefined) out = terminalLink(blue(underline(out)), style.href);
  return out;
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

function wordWidth(word: Word): number {
  return word.reduce((sum, piece) => sum + cellWidth(piece.text), 0);
}

/** Cuts a word wider than a whole line into line-sized pieces. */
function chop(word: Word, width: number): Word[] {
  const chunks: Word[] = [];
  let chunk: Word = [];
  let used = 0;
  for (const piece of word) {
    let rest = Array.from(piece.text);
    while (rest.length > 0) {
      const room = width - used;
      const take = rest.slice(0, room);
      chunk.push({ text: take.join(''), style: piece.style });
      used += take.length;
      rest = rest.slice(room);
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
