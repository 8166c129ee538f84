import { Box, Text } from 'ink';
import { progressBar } from '../report/verdict.js';
import type { SessionEvent } from '../session/events.js';
import { countsText } from '../session/quiz.js';
import type { ExerciseStatus, SessionState } from '../session/state.js';
import { KeyLine } from './KeyLine.js';
import { useKeys } from './keys.js';

export const MARK: Record<ExerciseStatus, string> = { done: '✓', current: '▶', pending: '·' };
export const COLOR: Record<ExerciseStatus, string | undefined> = {
  done: 'green',
  current: 'yellow',
  pending: undefined,
};

export interface HomeProps {
  state: SessionState;
  interactive: boolean;
  send: (event: SessionEvent) => void;
}

/** Progress per lesson (in teaching order), the current exercise, the quiz's cards, and the keys to go on. */
export function Home({ state, interactive, send }: HomeProps) {
  const quiz = typeof state.quiz === 'object' ? state.quiz : null;
  const current = state.exercises.find((e) => e.id === state.current && e.status !== 'done');
  useKeys(
    (input, key) => {
      if (key.return && current)
        send({ type: 'go', route: { name: 'exercise', id: current.id, back: { name: 'home' } } });
      else if (input === 'x') send({ type: 'go', route: { name: 'list' } });
      else if (input === 'l') send({ type: 'go', route: { name: 'lessons' } });
      else if (input === 'r' && quiz) send({ type: 'quiz' });
      else if (input === 'q' || key.escape) send({ type: 'back' });
    },
    { isActive: interactive },
  );

  const rows = state.lessonOrder
    .map((lesson) => ({ lesson, items: state.exercises.filter((e) => e.lesson === lesson) }))
    .filter((row) => row.items.length > 0);
  const lessonWidth = Math.max(...rows.map((row) => row.lesson.length), 6);
  const total = state.exercises.length;
  const counts = quiz ? countsText(quiz) : null;

  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text bold>racelings</Text> — {state.done} of {total} exercises done{' '}
        <Text color="green">{progressBar(state.done, total)}</Text>
      </Text>
      <Text> </Text>
      {rows.map(({ lesson, items }) => (
        <Text key={lesson} wrap="truncate-end">
          {'  '}
          {lesson.padEnd(lessonWidth)}{' '}
          <Text dimColor>{`${items.filter((e) => e.status === 'done').length}/${items.length}`}</Text>{' '}
          {items.map((e) => (
            <Text key={e.id}>
              {' '}
              <Text color={COLOR[e.status]}>{MARK[e.status]}</Text> {e.id}
            </Text>
          ))}
        </Text>
      ))}
      <Text> </Text>
      {current ? (
        <Text wrap="truncate-end">
          next: <Text bold>{current.id}</Text> — {current.title}
        </Text>
      ) : (
        <Text color="green">every exercise is done — the quiz keeps it fresh</Text>
      )}
      {quiz && counts ? (
        <Text wrap="truncate-end">
          quiz: <Text color="blue">{counts.new}</Text> · <Text color="red">{counts.learning}</Text> ·{' '}
          <Text color="green">{counts.review}</Text>
          <Text dimColor> of {quiz.total} cards</Text>
        </Text>
      ) : (
        <Text dimColor>{state.quiz === null ? 'quiz: counting the cards…' : 'quiz: not available'}</Text>
      )}
      {state.notice && (
        <Text color="yellow" wrap="truncate-end">
          {state.notice}
        </Text>
      )}
      <Text> </Text>
      <Text dimColor wrap="truncate-end">
        ✓ done · ▶ current · · to do · quiz: New never seen, Learning in its first steps, To review due today
      </Text>
      <KeyLine
        keys={[
          current && ['Enter', `continue ${current.id}`],
          ['x', 'exercises'],
          ['l', 'lessons'],
          quiz && ['r', 'review (quiz)'],
          ['q', 'quit'],
        ]}
      />
    </Box>
  );
}
