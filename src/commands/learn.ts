import { loadCourse } from '../course/course.js';
import { findLesson, type Lesson, loadLessons } from '../course/lessons.js';
import { command } from '../report/invocation.js';
import { renderMarkdown } from '../report/markdown.js';

export interface LearnOptions {
  root: string;
  lesson?: string;
  width: number;
}

function listText(lessons: Lesson[]): string {
  const digits = String(lessons.length).length;
  const rows = lessons.map((lesson, i) => {
    const practice = lesson.exercises.length > 0 ? `  exercises: ${lesson.exercises.join(', ')}` : '';
    return `${String(i + 1).padStart(digits)}. ${lesson.id} — ${lesson.title} (${lesson.minutes} min)${practice}`;
  });
  return [...rows, '', `Read one with '${command('learn <id>')}'.`].join('\n');
}

/** The body opens with the lesson's own heading, so the plain form adds only the reading time. */
function lessonText(lesson: Lesson, width: number): string {
  const about = `(${lesson.minutes} min) ${lesson.summary}`;
  return renderMarkdown(`${lesson.body}\n\n${about}`, { width, color: false }).join('\n');
}

/**
 * `racelings learn [LESSON]` as plain text (no terminal, no workspace needed): the lesson list, or
 * one lesson. On a terminal the tutor opens at the lessons instead (see cli.tsx).
 */
export async function learnCommand(opts: LearnOptions): Promise<number> {
  const lessons = await loadLessons(opts.root, (await loadCourse(opts.root)).lessons);
  const lesson = opts.lesson === undefined ? undefined : findLesson(lessons, opts.lesson);
  process.stdout.write(`${lesson ? lessonText(lesson, opts.width) : listText(lessons)}\n`);
  return 0;
}
