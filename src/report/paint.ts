/**
 * The one way racelings colours text outside Ink: ANSI SGR codes that vanish when colour is off
 * (NO_COLOR, FORCE_COLOR=0, --no-color, a pipe, TERM=dumb). Ink screens get the same tones as props.
 */
import terminalLink from 'terminal-link';

export type Colour = 'red' | 'green' | 'yellow' | 'blue' | 'cyan' | 'magenta';

/** How a run of text looks; every field is optional and they combine. */
export interface Style {
  bold?: boolean;
  dim?: boolean;
  italic?: boolean;
  underline?: boolean;
  inverse?: boolean;
  colour?: Colour;
  /** An OSC 8 hyperlink target: the text becomes a link in terminals that support it. */
  href?: string;
}

const FOREGROUND: Record<Colour, number> = {
  red: 31,
  green: 32,
  yellow: 33,
  blue: 34,
  magenta: 35,
  cyan: 36,
};

const sgr = (open: number, close: number, text: string) => `\u001b[${open}m${text}\u001b[${close}m`;

/** `text` in `style` when `color` is on; the text itself, unchanged, when it is off. */
export function paint(text: string, style: Style, color: boolean): string {
  if (!color || text === '') return text;
  let out = text;
  if (style.colour) out = sgr(FOREGROUND[style.colour], 39, out);
  if (style.underline) out = sgr(4, 24, out);
  if (style.italic) out = sgr(3, 23, out);
  if (style.bold) out = sgr(1, 22, out);
  if (style.dim) out = sgr(2, 22, out);
  if (style.inverse) out = sgr(7, 27, out);
  if (style.href !== undefined) out = terminalLink(out, style.href);
  return out;
}

/**
 * Whether to colour plain output: a terminal, and nothing that asks for plain text. The rules are
 * those of no-color.org and of chalk (FORCE_COLOR=0, TERM=dumb), so Ink and plain text agree.
 */
export function colourWanted(
  flag: boolean,
  stream: { isTTY?: boolean } = process.stdout,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  if (!flag || !stream.isTTY) return false;
  if (env.NO_COLOR || env.FORCE_COLOR === '0' || env.FORCE_COLOR === 'false') return false;
  return env.TERM !== 'dumb';
}
