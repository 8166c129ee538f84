import { useStdin } from 'ink';
import { useSyncExternalStore } from 'react';
import { progressOf } from '../report/reporter.js';
import type { SessionEvent } from '../session/events.js';
import type { SessionState } from '../session/state.js';
import { ExerciseList } from './ExerciseList.js';
import { ExerciseScreen } from './ExerciseScreen.js';
import { Home } from './Home.js';
import { LessonList } from './LessonList.js';
import { LessonReader } from './LessonReader.js';
import { useTerminalSize } from './terminal-size.js';

/** What the tutor's screens need of a session: its state, and a way to send events. */
export interface SessionPort {
  subscribe(listener: () => void): () => void;
  snapshot(): SessionState;
  dispatch(event: SessionEvent): void;
}

export interface TutorAppProps {
  session: SessionPort;
  color: boolean;
  /** Whether keys are read; by default only when stdin supports raw mode. */
  interactive?: boolean;
}

/** The tutor: the screen of the session's route, drawn from its state; keys become events. */
export function TutorApp({ session, color, interactive }: TutorAppProps) {
  const { isRawModeSupported } = useStdin();
  const keys = interactive ?? isRawModeSupported === true;
  const state = useSyncExternalStore(session.subscribe, session.snapshot);
  const { columns, rows } = useTerminalSize();
  const send = (event: SessionEvent) => session.dispatch(event);
  const route = state.route;

  if (route.name === 'exercise') {
    const exercise = state.exercises.find((e) => e.id === route.id);
    if (!exercise || state.open?.id !== route.id) return null;
    return (
      <ExerciseScreen
        key={exercise.id}
        exercise={exercise}
        open={state.open}
        hintsSeen={state.hints[exercise.id] ?? 0}
        progress={{ ...progressOf(state), next: nextOf(state) }}
        manual={state.manual}
        notice={state.notice}
        color={color}
        columns={columns}
        rows={rows}
        interactive={keys}
        send={send}
      />
    );
  }
  if (route.name === 'list') {
    return (
      <ExerciseList
        exercises={state.exercises}
        selected={route.selected}
        notice={state.notice}
        rows={rows}
        interactive={keys}
        send={send}
      />
    );
  }
  if (route.name === 'lessons') {
    return <LessonList lessons={state.lessons} route={route} rows={rows} interactive={keys} send={send} />;
  }
  if (route.name === 'lesson') {
    const lesson = state.lessons.find((l) => l.id === route.id);
    if (!lesson) return null;
    return (
      <LessonReader
        key={lesson.id}
        lesson={lesson}
        route={route}
        color={color}
        columns={columns}
        rows={rows}
        interactive={keys}
        send={send}
      />
    );
  }
  return <Home state={state} interactive={keys} send={send} />;
}

/** The exercise `n` opens from the one on screen: the session's `next`, with its title. */
function nextOf(state: SessionState) {
  const next = state.exercises.find((e) => e.id === state.next);
  return next ? { id: next.id, title: next.title } : null;
}
