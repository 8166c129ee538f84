import { Box, Text } from 'ink';
import { type ExerciseStatus, statusOf } from '../workspace/state.js';
import { useKeys } from './keys.js';
import type { ExerciseInfo, QuizCounts } from './tutor-port.js';

const MARK: Record<ExerciseStatus, string> = { done: '✓', current: '▶', pending: '·' };
const COLOR: Record<ExerciseStatus, string | undefined> = {
  done: 'green',
  current: 'yellow',
  pending: undefined,
};

export interface HomeProps {
  exercises: ExerciseInfo[];
  /** Lesson ids in teaching order. */
  lessons: string[];
  done: string[];
  current: string | null;
  quiz: QuizCounts | 'unavailable' | null;
  notice: string | null;
  interactive: boolean;
  onContinue: () => void;
  onExercises: () => void;
  onLessons: () => void;
  onQuiz: () => void;
  onQuit: () => void;
}

/** Progress per lesson, the current exercise, the quiz's due cards, and the keys to go on. */
export function Home(props: HomeProps) {
  const { exercises, done, current } = props;
  const quiz = typeof props.quiz === 'object' ? props.quiz : null;
  const currentExercise = exercises.find((e) => e.id === current);
  useKeys(
    (input, key) => {
      if (key.return && currentExercise) props.onContinue();
      else if (input === 'x') props.onExercises();
      else if (input === 'l') props.onLessons();
      else if (input === 'r' && quiz) props.onQuiz();
      else if (input === 'q' || key.escape) props.onQuit();
    },
    { isActive: props.interactive },
  );

  const rows = props.lessons
    .map((lesson) => ({ lesson, items: exercises.filter((e) => e.lesson === lesson) }))
    .filter((row) => row.items.length > 0);
  const lessonWidth = Math.max(...rows.map((row) => row.lesson.length), 6);
  const finished = exercises.filter((e) => done.includes(e.id)).length;
  const keys = [
    currentExercise ? `Enter continue ${currentExercise.id}` : null,
    'x exercises',
    'l lessons',
    quiz ? 'r quiz' : null,
    'q quit',
  ].filter(Boolean);

  return (
    <Box flexDirection="column">
      <Text>
        <Text bold>racelings</Text>
        <Text>
          {' '}
          — {finished} of {exercises.length} exercises done
        </Text>
      </Text>
      <Text> </Text>
      {rows.map(({ lesson, items }) => {
        const count = items.filter((e) => done.includes(e.id)).length;
        return (
          <Text key={lesson} wrap="truncate-end">
            {'  '}
            {lesson.padEnd(lessonWidth)} <Text dimColor>{`${count}/${items.length}`}</Text>{' '}
            {items.map((e) => (
              <Text key={e.id}>
                {' '}
                <Text color={COLOR[statusOf({ done, current }, e.id)]}>
                  {MARK[statusOf({ done, current }, e.id)]}
                </Text>{' '}
                {e.id}
              </Text>
            ))}
          </Text>
        );
      })}
      <Text> </Text>
      {currentExercise ? (
        <Text wrap="truncate-end">
          next: <Text bold>{currentExercise.id}</Text> — {currentExercise.title}
        </Text>
      ) : (
        <Text color="green">every exercise is done — the quiz keeps it fresh</Text>
      )}
      {quiz ? (
        <Text>
          quiz: <Text color="blue">New {quiz.new}</Text> · <Text color="red">Learning {quiz.learning}</Text> ·{' '}
          <Text color="green">To review {quiz.review}</Text>
          <Text dimColor> of {quiz.total} cards</Text>
        </Text>
      ) : (
        <Text dimColor>{props.quiz === null ? 'quiz: counting the due cards…' : 'quiz: not available'}</Text>
      )}
      {props.notice && <Text color="yellow">{props.notice}</Text>}
      <Text> </Text>
      <Text dimColor wrap="truncate-end">
        ✓ done · ▶ current · · to do · quiz: New never seen, Learning in first steps, To review due now
      </Text>
      <Text dimColor wrap="truncate-end">
        {keys.join(' · ')}
      </Text>
    </Box>
  );
}
