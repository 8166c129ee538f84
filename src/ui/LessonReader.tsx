import { Box, Text, useStdin } from 'ink';
import { useState } from 'react';
import { useKeys } from './keys.js';

export interface LessonReaderProps {
  title: string;
  /** The lesson, already rendered to terminal lines. */
  lines: string[];
  /** Terminal rows: the reader never draws more than `rows - 1`, so Ink never clears the screen. */
  rows: number;
  /** The lesson's first exercise, offered on `e`. */
  exercise?: string;
  onBack: () => void;
  onExercise?: (id: string) => void;
}

/** Title bar, footer and one spare row: Ink redraws the whole screen once output reaches its height. */
const CHROME_ROWS = 3;

export function LessonReader({ title, lines, rows, exercise, onBack, onExercise }: LessonReaderProps) {
  const { isRawModeSupported } = useStdin();
  const view = Math.max(1, rows - CHROME_ROWS);
  const last = Math.max(0, lines.length - view);
  const [top, setTop] = useState(0);
  // Functional updates: keys can arrive faster than the handler is re-bound to the new position.
  const scrollBy = (delta: number) =>
    setTop((current) => Math.min(last, Math.max(0, Math.min(current, last) + delta)));

  useKeys(
    (input, key) => {
      if (input === 'q' || key.escape) onBack();
      else if (key.downArrow || input === 'j') scrollBy(1);
      else if (key.upArrow || input === 'k') scrollBy(-1);
      else if (key.pageDown || input === ' ') scrollBy(view);
      else if (key.pageUp) scrollBy(-view);
      else if (input === 'g') setTop(0);
      else if (input === 'G') setTop(last);
      else if (input === 'e' && exercise !== undefined) onExercise?.(exercise);
    },
    { isActive: isRawModeSupported === true },
  );

  const shownTop = Math.min(top, last);
  const visible = lines.slice(shownTop, shownTop + view);
  const percent =
    lines.length === 0 ? 100 : Math.round((Math.min(lines.length, shownTop + view) / lines.length) * 100);
  const keys = ['↑↓/jk scroll', 'space/PgDn page', 'g/G top/end'];
  if (exercise !== undefined && onExercise) keys.push(`e exercise ${exercise}`);
  keys.push('q back');

  return (
    <Box flexDirection="column">
      <Box justifyContent="space-between">
        <Text bold wrap="truncate-end">
          {title}
        </Text>
        <Text dimColor> {percent}%</Text>
      </Box>
      {visible.map((line, i) => (
        // Lines are positional: the same index always shows the line at that screen row.
        // biome-ignore lint/suspicious/noArrayIndexKey: rows of a viewport have no identity of their own
        <Text key={i} wrap="truncate-end">
          {line === '' ? ' ' : line}
        </Text>
      ))}
      <Text dimColor wrap="truncate-end">
        {keys.join(' · ')}
      </Text>
    </Box>
  );
}
