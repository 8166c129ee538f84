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
    <Text dimColor wrap="truncate-end">
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
