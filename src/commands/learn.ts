import { createElement } from 'react';
import { loadCourse } from '../course/course.js';
import { findLesson, type Lesson, loadLessons } from '../course/lessons.js';
import { renderMarkdown } from '../ui/markdown.js';

export interface LearnOptions {
  root: string;
  lesson?: string;
  color: boolean;
  tty: boolean;
  width: number;
  /** Open an exercise picked from a lesson in the tutor; without it, say how. */
  practise?: (id: string) => Promise<number>;
}

function listText(lessons: Lesson[]): string {
  const digits = String(lessons.length).length;
  const rows = lessons.map((lesson, i) => {
    const practice = lesson.exercises.length > 0 ? `  exercises: ${lesson.exercises.join(', ')}` : '';
    return `${String(i + 1).padStart(digits)}. ${lesson.id} — ${lesson.title} (${lesson.minutes} min)${practice}`;
  });
  return [...rows, '', "Read one with 'racelings learn <id>'."].join('\n');
}

/** The body opens with the lesson's own heading, so the plain form adds only the reading time. */
function lessonText(lesson: Lesson, width: number): string {
  const about = `(${lesson.minutes} min) ${lesson.summary}`;
  return renderMarkdown(`${lesson.body}\n\n${about}`, { width, color: false }).join('\n');
}

async function runInk(
  lessons: Lesson[],
  initial: string | undefined,
  color: boolean,
): Promise<string | undefined> {
  // Loaded only on a terminal: Ink is never mounted for pipes.
  const [{ render }, { LearnApp }] = await Promise.all([import('ink'), import('../ui/LearnApp.js')]);
  let chosen: string | undefined;
  const app = render(
    createElement(LearnApp, {
      lessons,
      initial,
      color,
      onExercise: (id: string) => {
        chosen = id;
        // The exercise screen takes the terminal next: leave no lesson frame above it.
        app.clear();
        app.unmount();
      },
      onExit: () => app.unmount(),
    }),
  );
  await app.waitUntilExit();
  return chosen;
}

/** `racelings learn [LESSON]`: the lesson list, or one lesson; plain text unless on a terminal. */
export async function learnCommand(opts: LearnOptions): Promise<number> {
  const lessons = await loadLessons(opts.root, (await loadCourse(opts.root)).lessons);
  const lesson = opts.lesson === undefined ? undefined : findLesson(lessons, opts.lesson);
  if (!opts.tty) {
    const text = lesson ? lessonText(lesson, opts.width) : listText(lessons);
    process.stdout.write(`${text}\n`);
    return 0;
  }
  const exercise = await runInk(lessons, lesson?.id, opts.color);
  if (exercise === undefined) return 0;
  if (opts.practise) return opts.practise(exercise);
  process.stdout.write(`Practise it: racelings watch ${exercise}\n`);
  return 0;
}
