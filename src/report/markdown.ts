import { common, createEmphasize } from 'emphasize';
import { lexer, type MarkedToken, type Token, type Tokens } from 'marked';
import terminalLink from 'terminal-link';
import { inContext } from './invocation.js';
import { paint, type Style } from './paint.js';
import { renderTable } from './table.js';
import { cellWidth, type Span, wrapSpans } from './wrap.js';

export interface MarkdownOptions {
  /** Terminal columns available; every line fits unless a code line or a table cannot. */
  width: number;
  /** Escape codes for styles, code highlighting and hyperlinks; `false` gives plain text. */
  color: boolean;
  /** Leave out a first-level heading that opens the text: the screen shows the title already. */
  dropTitle?: boolean;
}

interface Context {
  color: boolean;
  /** OSC 8 hyperlinks only when colour is on and the terminal understands them. */
  hyperlinks: boolean;
}

const highlighter = createEmphasize({ typescript: common.typescript!, sql: common.sql!, lua: common.lua! });
const grammars: Record<string, string> = {
  ts: 'typescript',
  typescript: 'typescript',
  sql: 'sql',
  lua: 'lua',
};

function inline(tokens: Token[] | undefined, style: Style, ctx: Context): Span[] {
  return (tokens ?? []).flatMap((token): Span[] => {
    const t = token as MarkedToken;
    switch (t.type) {
      case 'text':
        return t.tokens ? inline(t.tokens, style, ctx) : [{ text: inContext(t.text), style }];
      case 'strong':
        return inline(t.tokens, { ...style, bold: true }, ctx);
      case 'em':
        return inline(t.tokens, { ...style, italic: true }, ctx);
      case 'del':
        return inline(t.tokens, style, ctx);
      case 'codespan':
        return [{ text: inContext(t.text), style: { ...style, colour: 'cyan' } }];
      case 'br':
        return [{ text: '\n', style }];
      case 'escape':
        return [{ text: t.text, style }];
      case 'link': {
        if (ctx.hyperlinks)
          return inline(t.tokens, { ...style, colour: 'blue', underline: true, href: t.href }, ctx);
        const label = inline(t.tokens, style, ctx);
        const shown = label.map((span) => span.text).join('');
        return shown === t.href ? label : [...label, { text: ` (${t.href})`, style }];
      }
      case 'image':
        return [{ text: t.text, style }];
      default:
        return [{ text: token.raw, style }];
    }
  });
}

function heading(t: Tokens.Heading, width: number, ctx: Context): string[] {
  const style: Style = t.depth <= 2 ? { bold: true, colour: 'magenta' } : { bold: true };
  const lines = wrapSpans(inline(t.tokens, style, ctx), width, ctx.color);
  if (t.depth > 2) return lines.map((line) => line.text);
  const rule = (t.depth === 1 ? '═' : '─').repeat(Math.max(...lines.map((line) => line.width)));
  return [...lines.map((line) => line.text), paint(rule, { dim: true }, ctx.color)];
}

function code(t: Tokens.Code, width: number, ctx: Context): string[] {
  const indent = '  ';
  const raw = t.text.split('\n');
  const grammar = grammars[(t.lang ?? '').trim().toLowerCase()];
  const painted = ctx.color && grammar ? highlighter.highlight(grammar, t.text).value.split('\n') : raw;
  return raw.flatMap((line, i) => {
    const room = Math.max(1, width - indent.length);
    if (cellWidth(line) <= room) return [indent + (painted[i] ?? line)];
    // Too long for the screen: wrap the plain text rather than cut through escape codes.
    const chars = Array.from(line);
    const parts: string[] = [];
    for (let at = 0; at < chars.length; at += room) parts.push(indent + chars.slice(at, at + room).join(''));
    return parts;
  });
}

function listItem(item: Tokens.ListItem, marker: string, width: number, ctx: Context): string[] {
  const gap = ' '.repeat(cellWidth(marker));
  const body = blocks(item.tokens, width - gap.length, ctx, !item.loose);
  return body.map(
    (line, i) => (i === 0 ? paint(marker, { dim: true }, ctx.color) : line === '' ? '' : gap) + line,
  );
}

function list(t: Tokens.List, width: number, ctx: Context): string[] {
  const start = typeof t.start === 'number' ? t.start : 1;
  const digits = String(start + t.items.length - 1).length;
  return t.items.flatMap((item, i) => {
    const marker = t.ordered ? `${String(start + i).padStart(digits)}. ` : '• ';
    const lines = listItem(item, marker, width, ctx);
    return t.loose && i < t.items.length - 1 ? [...lines, ''] : lines;
  });
}

function block(token: Token, width: number, ctx: Context): string[] | null {
  const t = token as MarkedToken;
  switch (t.type) {
    case 'space':
    case 'def':
      return null;
    case 'heading':
      return heading(t, width, ctx);
    case 'paragraph':
      return wrapSpans(inline(t.tokens, {}, ctx), width, ctx.color).map((line) => line.text);
    case 'text':
      return wrapSpans(
        inline(t.tokens ?? [{ type: 'text', raw: t.raw, text: t.text }], {}, ctx),
        width,
        ctx.color,
      ).map((line) => line.text);
    case 'code':
      return code(t, width, ctx);
    case 'list':
      return list(t, width, ctx);
    case 'blockquote': {
      const bar = paint('│ ', { dim: true }, ctx.color);
      return blocks(t.tokens, width - 2, ctx, false).map((line) => bar + line);
    }
    case 'hr':
      return [paint('─'.repeat(Math.max(1, width)), { dim: true }, ctx.color)];
    case 'table':
      return renderTable(
        {
          header: t.header.map((cell) => inline(cell.tokens, {}, ctx)),
          rows: t.rows.map((row) => row.map((cell) => inline(cell.tokens, {}, ctx))),
          align: t.align,
        },
        width,
        ctx.color,
      );
    default:
      return wrapSpans([{ text: token.raw, style: {} }], width, ctx.color).map((line) => line.text);
  }
}

/** Block tokens to lines; a blank line between blocks unless `tight` (the inside of a tight list item). */
function blocks(tokens: Token[], width: number, ctx: Context, tight: boolean): string[] {
  const out: string[] = [];
  for (const token of tokens) {
    const lines = block(token, width, ctx);
    if (lines === null) continue;
    if (out.length > 0 && !tight) out.push('');
    out.push(...lines);
  }
  return out;
}

/** Markdown to terminal lines. With `color: false` the lines hold no escape codes at all. */
export function renderMarkdown(markdown: string, options: MarkdownOptions): string[] {
  const ctx: Context = { color: options.color, hyperlinks: options.color && terminalLink.isSupported };
  const tokens = lexer(markdown);
  const first = tokens.findIndex((token) => token.type !== 'space');
  const title = tokens[first];
  if (options.dropTitle && title?.type === 'heading' && (title as Tokens.Heading).depth === 1) {
    tokens.splice(0, first + 1);
  }
  return blocks(tokens, Math.max(20, options.width), ctx, false);
}
