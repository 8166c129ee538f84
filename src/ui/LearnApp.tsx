import { useMemo, useState } from 'react';
import type { Lesson } from '../course/lessons.js';
import { LessonList } from './LessonList.js';
import { LessonReader } from './LessonReader.js';
import { renderMarkdown } from './markdown.js';
import { useTerminalSize } from './terminal-size.js';

export interface LearnAppProps {
  lessons: Lesson[];
  /** Open this lesson first. */
  initial?: string;
  /** Where leaving the first lesson goes: the list (in the tutor), or out (`racelings learn ID`). */
  initialBack?: 'list' | 'exit';
  color: boolean;
  /** Practise an exercise from a lesson; `lesson` is where coming back should land. */
  onExercise: (id: string, lesson: string) => void;
  onExit: () => void;
}

/** Lines longer than this are hard to read, however wide the terminal. */
const MAX_WIDTH = 100;

export function LearnApp({
  lessons,
  initial,
  initialBack = 'exit',
  color,
  onExercise,
  onExit,
}: LearnAppProps) {
  const { columns, rows } = useTerminalSize();
  const [open, setOpen] = useState<string | undefined>(initial);
  const lesson = lessons.find((candidate) => candidate.id === open);
  const width = Math.min(MAX_WIDTH, columns - 1);
  const lines = useMemo(
    () => (lesson ? renderMarkdown(lesson.body, { width, color }) : []),
    [lesson, width, color],
  );

  if (!lesson) return <LessonList lessons={lessons} rows={rows} onOpen={setOpen} onQuit={onExit} />;
  return (
    <LessonReader
      key={lesson.id}
      title={lesson.title}
      lines={lines}
      rows={rows}
      exercise={lesson.exercises[0]}
      onBack={() => (initial !== undefined && initialBack === 'exit' ? onExit() : setOpen(undefined))}
      onExercise={(id) => onExercise(id, lesson.id)}
    />
  );
}
