import { Box, Text, useStdin } from 'ink';
import { useRef, useState } from 'react';
import { useKeys } from './keys.js';

export interface LessonListItem {
  id: string;
  title: string;
  minutes: number;
  exercises: string[];
}

export interface LessonListProps {
  lessons: LessonListItem[];
  /** Terminal rows: the list scrolls rather than grow past `rows - 1`. */
  rows: number;
  onOpen: (id: string) => void;
  onQuit?: () => void;
}

/** Heading, footer and one spare row. */
const CHROME_ROWS = 3;

export function LessonList({ lessons, rows, onOpen, onQuit }: LessonListProps) {
  const { isRawModeSupported } = useStdin();
  const [selected, setSelected] = useState(0);
  // Keys can arrive before the handler is re-bound with the new state; the ref is always current.
  const current = useRef(0);
  const move = (delta: number) => {
    current.current = Math.min(lessons.length - 1, Math.max(0, current.current + delta));
    setSelected(current.current);
  };
  const view = Math.max(1, rows - CHROME_ROWS);

  useKeys(
    (input, key) => {
      if (key.downArrow || input === 'j') move(1);
      else if (key.upArrow || input === 'k') move(-1);
      else if (key.return) {
        const lesson = lessons[current.current];
        if (lesson) onOpen(lesson.id);
      } else if (input === 'q' || key.escape) onQuit?.();
    },
    { isActive: isRawModeSupported === true },
  );

  const top = Math.min(Math.max(0, selected - view + 1), Math.max(0, lessons.length - view));
  const digits = String(lessons.length).length;

  return (
    <Box flexDirection="column">
      <Text bold>Lessons</Text>
      {lessons.slice(top, top + view).map((lesson, i) => {
        const index = top + i;
        const active = index === selected;
        const practice = lesson.exercises.length > 0 ? `  · ${lesson.exercises.join(', ')}` : '';
        return (
          <Text key={lesson.id} wrap="truncate-end" inverse={active}>
            {active ? '› ' : '  '}
            {String(index + 1).padStart(digits)}. {lesson.title}{' '}
            <Text dimColor={!active}>
              ({lesson.minutes} min){practice}
            </Text>
          </Text>
        );
      })}
      <Text dimColor>↑↓ choose · Enter read · q quit</Text>
    </Box>
  );
}
