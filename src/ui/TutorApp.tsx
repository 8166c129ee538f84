import { useStdin } from 'ink';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { nextPending, statusOf } from '../workspace/state.js';
import { ExerciseList } from './ExerciseList.js';
import { ExerciseScreen } from './ExerciseScreen.js';
import { Home } from './Home.js';
import { LearnApp } from './LearnApp.js';
import { useTerminalSize } from './terminal-size.js';
import type { TutorPort } from './tutor-port.js';

export type Screen =
  | { name: 'home' | 'list' }
  /** The lesson list, or `lesson` open (coming back from an exercise reached from it). */
  | { name: 'lessons'; lesson?: string }
  | { name: 'exercise'; id: string; back: Exclude<Screen, { name: 'exercise' }> | 'quit' };

export interface TutorAppProps {
  port: TutorPort;
  color: boolean;
  initial?: Screen;
  /** Told of every change of screen, so that a remount (after an editor) comes back to it. */
  onScreen?: (screen: Screen) => void;
  /** Whether keys are read; by default only when stdin supports raw mode. */
  interactive?: boolean;
}

/** The tutor: home, lessons, the exercise list and watch mode, over one port to the outside. */
export function TutorApp({ port, color, initial, interactive, onScreen }: TutorAppProps) {
  const { isRawModeSupported } = useStdin();
  const keys = interactive ?? isRawModeSupported === true;
  const snapshot = useSyncExternalStore(port.subscribe, port.snapshot);
  const { columns, rows } = useTerminalSize();
  const [screen, setScreen] = useState<Screen>(initial ?? { name: 'home' });
  const openId = screen.name === 'exercise' ? screen.id : null;
  useEffect(() => onScreen?.(screen), [onScreen, screen]);

  useEffect(() => {
    if (openId === null) return;
    port.openExercise(openId);
    return () => port.closeExercise();
  }, [port, openId]);

  if (screen.name === 'exercise') {
    const exercise = snapshot.exercises.find((e) => e.id === screen.id);
    const open = snapshot.open?.id === screen.id ? snapshot.open : null;
    if (!exercise || !open) return null;
    const next = nextPending(
      snapshot.exercises.map((e) => e.id),
      snapshot.done,
      exercise.id,
    );
    const back = () => (screen.back === 'quit' ? port.quit() : setScreen(screen.back));
    return (
      <ExerciseScreen
        key={exercise.id}
        exercise={exercise}
        open={open}
        hintsSeen={snapshot.hints[exercise.id] ?? 0}
        manual={snapshot.manual}
        notice={snapshot.notice}
        color={color}
        columns={columns}
        rows={rows}
        interactive={keys}
        onEdit={() => port.edit(exercise.id)}
        onCheck={() => port.check()}
        onHint={() => port.seeHint(exercise.id)}
        onNext={next === undefined ? undefined : () => setScreen({ ...screen, id: next })}
        onBack={back}
      />
    );
  }
  if (screen.name === 'list') {
    return (
      <ExerciseList
        exercises={snapshot.exercises.map((e) => ({ ...e, status: statusOf(snapshot, e.id) }))}
        rows={rows}
        interactive={keys}
        onOpen={(id) => setScreen({ name: 'exercise', id, back: { name: 'list' } })}
        onReset={(id) => port.reset(id)}
        onBack={() => setScreen({ name: 'home' })}
      />
    );
  }
  if (screen.name === 'lessons') {
    return (
      <LearnApp
        lessons={snapshot.lessons}
        initial={screen.lesson}
        initialBack="list"
        color={color}
        onExercise={(id, lesson) => setScreen({ name: 'exercise', id, back: { name: 'lessons', lesson } })}
        onExit={() => setScreen({ name: 'home' })}
      />
    );
  }
  return (
    <Home
      exercises={snapshot.exercises}
      lessons={snapshot.lessonOrder}
      done={snapshot.done}
      current={snapshot.current}
      quiz={snapshot.quiz}
      notice={snapshot.notice}
      interactive={keys}
      onContinue={() =>
        snapshot.current && setScreen({ name: 'exercise', id: snapshot.current, back: { name: 'home' } })
      }
      onExercises={() => setScreen({ name: 'list' })}
      onLessons={() => setScreen({ name: 'lessons' })}
      onQuiz={() => port.quiz()}
      onQuit={() => port.quit()}
    />
  );
}
