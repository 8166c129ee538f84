import { Box, Text } from 'ink';
import { useMemo } from 'react';
import { renderMarkdown } from '../report/markdown.js';
import type { SessionEvent } from '../session/events.js';
import type { LessonView, Route } from '../session/state.js';
import { KeyLine } from './KeyLine.js';
import { useKeys } from './keys.js';
import { useViewport } from './viewport.js';

export interface LessonReaderProps {
  lesson: LessonView;
  route: Extract<Route, { name: 'lesson' }>;
  color: boolean;
  columns: number;
  /** Terminal rows: the reader never draws more than `rows - 1`, so Ink never clears the screen. */
  rows: number;
  interactive: boolean;
  send: (event: SessionEvent) => void;
}

/** Title bar, key line and one spare row. */
const CHROME_ROWS = 3;
/** Lines longer than this are hard to read, however wide the terminal. */
const MAX_WIDTH = 100;

/** One lesson: its title once (in the bar), the body scrolling under it, and its exercise on `x`. */
export function LessonReader({ lesson, route, color, columns, rows, interactive, send }: LessonReaderProps) {
  const width = Math.max(20, Math.min(MAX_WIDTH, columns - 1));
  const lines = useMemo(
    () => renderMarkdown(lesson.body, { width, color, dropTitle: true }),
    [lesson.body, width, color],
  );
  const viewport = useViewport(lines.length, rows - CHROME_ROWS);
  const exercise = lesson.exercises[0];

  useKeys(
    (input, key) => {
      if (input === 'q' || key.escape) send({ type: 'back' });
      else if (input === 'x' && exercise !== undefined) {
        send({ type: 'go', route: { name: 'exercise', id: exercise, back: route } });
      } else viewport.keys(input, key);
    },
    { isActive: interactive },
  );

  const { top, view } = viewport;
  const percent =
    lines.length === 0 ? 100 : Math.round((Math.min(lines.length, top + view) / lines.length) * 100);
  return (
    <Box flexDirection="column">
      <Box justifyContent="space-between">
        <Text bold wrap="truncate-end">
          {lesson.title}
        </Text>
        <Text dimColor> {percent}%</Text>
      </Box>
      {lines.slice(top, top + view).map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows of a viewport have no identity of their own
        <Text key={i} wrap="truncate-end">
          {line === '' ? ' ' : line}
        </Text>
      ))}
      <KeyLine
        keys={[
          ['↑↓', 'scroll'],
          ['Space/PgDn', 'page'],
          ['g/G', 'top/end'],
          exercise !== undefined && ['x', `practise ${exercise}`],
          ['q', route.back === 'quit' ? 'quit' : 'back'],
        ]}
      />
    </Box>
  );
}
