/** ANSI styles that vanish when colour is off (NO_COLOR, --no-color, a pipe). */
const CODES = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
} as const;

export type StyleName = keyof typeof CODES;

export function paint(style: StyleName, text: string, color: boolean): string {
  if (!color) return text;
  const [open, close] = CODES[style];
  return `\u001b[${open}m${text}\u001b[${close}m`;
}
