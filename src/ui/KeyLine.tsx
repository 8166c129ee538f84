import { Text } from 'ink';

/** One key and what it does, e.g. `['Enter', 'open']`. */
export type KeyHelp = readonly [key: string, does: string];

/**
 * The last line of every screen: its keys, written the same way everywhere ("key what · key what").
 * The same key does the same thing on every screen where it appears (see README, "The tutor's keys").
 */
export function KeyLine({
  keys,
  note,
}: {
  keys: readonly (KeyHelp | null | false | undefined)[];
  note?: string;
}) {
  const shown = keys.filter((k): k is KeyHelp => Boolean(k));
  return (
    <Text dimColor wrap="wrap">
      {shown.map(([key, does], i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the keys of a line are positional
        <Text key={i}>
          {i > 0 ? ' · ' : ''}
          <Text bold>{key}</Text> {does}
        </Text>
      ))}
      {note ? ` · ${note}` : ''}
    </Text>
  );
}

/** Rows the key line takes at `width` columns (it wraps rather than hide a key). */
export function keyLineRows(
  keys: readonly (KeyHelp | null | false | undefined)[],
  width: number,
  note?: string,
): number {
  const shown = keys.filter((k): k is KeyHelp => Boolean(k));
  const text = [...shown.map(([key, does]) => `${key} ${does}`), ...(note ? [note] : [])].join(' · ');
  return Math.max(1, Math.ceil(Array.from(text).length / Math.max(1, width)));
}
