import { Box, Text } from 'ink';
import { useRef, useState } from 'react';
import type { SessionEvent } from '../session/events.js';
import type { LessonsRoute, LessonView } from '../session/state.js';
import { KeyLine } from './KeyLine.js';
import { useKeys } from './keys.js';

export interface LessonListProps {
  lessons: LessonView[];
  route: LessonsRoute;
  /** Terminal rows: the list scrolls rather than grow past `rows - 1`. */
  rows: number;
  interactive: boolean;
  send: (event: SessionEvent) => void;
}

/** Heading, legend, key line and one spare row. */
const CHROME_ROWS = 4;

/** The lessons in teaching order, read ones marked; the cursor starts on the lesson just read. */
export function LessonList({ lessons, route, rows, interactive, send }: LessonListProps) {
  const first = Math.max(
    0,
    lessons.findIndex((lesson) => (route.selected ? lesson.id === route.selected : !lesson.read)),
  );
  const [selected, setSelected] = useState(first);
  // Keys can arrive before the handler is re-bound with the new state; the ref is always current.
  const current = useRef(first);
  const move = (to: number) => {
    current.current = Math.min(lessons.length - 1, Math.max(0, to));
    setSelected(current.current);
  };
  const view = Math.max(1, rows - CHROME_ROWS);

  useKeys(
    (input, key) => {
      if (key.downArrow || input === 'j') move(current.current + 1);
      else if (key.upArrow || input === 'k') move(current.current - 1);
      else if (input === 'g' || key.home) move(0);
      else if (input === 'G' || key.end) move(lessons.length - 1);
      else if (key.return) {
        const lesson = lessons[current.current];
        if (lesson) send({ type: 'go', route: { name: 'lesson', id: lesson.id, back: route } });
      } else if (input === 'q' || key.escape) send({ type: 'back' });
    },
    { isActive: interactive },
  );

  const top = Math.min(Math.max(0, selected - view + 1), Math.max(0, lessons.length - view));
  const digits = String(lessons.length).length;
  const read = lessons.filter((lesson) => lesson.read).length;

  return (
    <Box flexDirection="column">
      <Text>
        <Text bold>Lessons</Text>
        <Text dimColor>
          {' '}
          · {read} of {lessons.length} read
        </Text>
      </Text>
      {lessons.slice(top, top + view).map((lesson, i) => {
        const index = top + i;
        const active = index === selected;
        const practice = lesson.exercises.length > 0 ? `  · ${lesson.exercises.join(', ')}` : '';
        return (
          <Text key={lesson.id} wrap="truncate-end" inverse={active}>
            {active ? '› ' : '  '}
            <Text color="green">{lesson.read ? '✓' : ' '}</Text> {String(index + 1).padStart(digits)}.{' '}
            {lesson.title}{' '}
            <Text dimColor={!active}>
              ({lesson.minutes} min){practice}
            </Text>
          </Text>
        );
      })}
      <Text dimColor>✓ read</Text>
      <KeyLine
        keys={[
          ['↑↓', 'choose'],
          ['Enter', 'read'],
          ['q', route.back === 'quit' ? 'quit' : 'back'],
        ]}
      />
    </Box>
  );
}
