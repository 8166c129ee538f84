import { Text } from 'ink';
import type { Style } from '../report/paint.js';
import { type LayoutLine, TONES } from '../report/verdict.js';

/** Ink's props for a report Style: one look for a tone, on screen as in plain text. */
export function inkStyle(style: Style) {
  return {
    color: style.colour,
    bold: style.bold,
    dimColor: style.dim,
    italic: style.italic,
    underline: style.underline,
    inverse: style.inverse,
  };
}

/** A laid-out line (report/verdict.ts): its pieces in their tones, cut at the edge rather than wrapped. */
export function Line({ line, dim }: { line: LayoutLine; dim?: boolean }) {
  return (
    <Text wrap="truncate-end" dimColor={dim}>
      {line.length === 0 || line.every((piece) => piece.text === '')
        ? ' '
        : line.map((piece, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: pieces of a line are positional
            <Text key={i} {...inkStyle(TONES[piece.tone])} dimColor={dim || TONES[piece.tone].dim}>
              {piece.text}
            </Text>
          ))}
    </Text>
  );
}
