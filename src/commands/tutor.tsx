import { render } from 'ink';
import { findExercise } from '../course/course.js';
import { type Lesson, loadLessons } from '../course/lessons.js';
import { Grader } from '../grader/grader.js';
import { type Screen, TutorApp } from '../ui/TutorApp.js';
import type { QuizCounts } from '../ui/tutor-port.js';
import { type Context, type GlobalOptions, openContext } from './context.js';
import { type EditorCommand, editorFor, runInTerminal, spawnWindowed } from './editor.js';
import { quizCommand, quizSummary } from './quiz.js';
import { TutorController } from './tutor-controller.js';
import { WatchLoop } from './watch-loop.js';

export interface TutorOptions extends GlobalOptions {
  /** Open an exercise's screen directly (`racelings watch [ID]`); leaving it ends the app. */
  watch?: boolean;
  /** The exercise to watch (default: the current one). */
  exercise?: string;
  /** Do not watch files: grade on `c` only. */
  manual?: boolean;
}

/** Why the Ink app was unmounted: the loop below decides what comes next. */
type Outcome = { type: 'quit' } | { type: 'quiz' } | { type: 'edit'; editor: EditorCommand };

async function quizCounts(ctx: Context): Promise<{ counts: QuizCounts | 'unavailable'; notice?: string }> {
  try {
    const {
      new: fresh,
      learning,
      review,
      total,
      notice,
    } = await quizSummary(ctx.course.root, ctx.ws.dir, new Date());
    return { counts: { new: fresh, learning, review, total }, notice };
  } catch {
    return { counts: 'unavailable' };
  }
}

/** Counts on the home screen; a quiz file that had to be set aside is said once, as a notice. */
async function showQuizCounts(ctx: Context, controller: TutorController): Promise<void> {
  const { counts, notice } = await quizCounts(ctx);
  controller.setQuiz(counts);
  if (notice) controller.notify(notice);
}

async function lessonsOf(ctx: Context): Promise<Lesson[]> {
  try {
    return await loadLessons(ctx.course.root, ctx.course.lessons);
  } catch {
    return [];
  }
}

/**
 * The one owner of the Ink app's lifecycle: one grader and one watcher for the app's whole life;
 * the app is unmounted to hand the terminal to an editor or the quiz and mounted again after.
 */
export async function tutorCommand(options: TutorOptions): Promise<number> {
  const ctx = await openContext(options);
  const watched = options.watch
    ? findExercise(ctx.course, options.exercise ?? ctx.progress.get().current ?? ctx.course.exercises[0]!.id)
    : undefined;
  const grader = new Grader();
  grader.warm();
  const controller = new TutorController(ctx, await lessonsOf(ctx), null);
  // Counting due cards reads every card: the first frame does not wait for it.
  void showQuizCounts(ctx, controller);
  const loop = new WatchLoop(ctx, grader, controller.onWatch);
  controller.loop = loop;
  let screen: Screen = watched ? { name: 'exercise', id: watched.id, back: 'quit' } : { name: 'home' };
  const onScreen = (next: Screen) => {
    screen = next;
  };

  const runApp = async (): Promise<Outcome> => {
    let outcome: Outcome = { type: 'quit' };
    const app = render(<TutorApp port={controller} color={ctx.color} initial={screen} onScreen={onScreen} />);
    const leave = (why: Outcome) => {
      outcome = why;
      app.clear();
      app.unmount();
    };
    controller.host = {
      quit: () => leave({ type: 'quit' }),
      quiz: () => leave({ type: 'quiz' }),
      edit: (file) => {
        const editor = editorFor(file);
        if (!editor.windowed) {
          controller.keepOpen = true;
          return leave({ type: 'edit', editor });
        }
        void spawnWindowed(editor).then((problem) =>
          controller.notify(problem ?? `opened in ${editor.command}; save to check`),
        );
      },
    };
    // A terminal closed or a polite kill: leave the terminal as it was, like q.
    const stop = () => leave({ type: 'quit' });
    process.once('SIGTERM', stop);
    process.once('SIGHUP', stop);
    try {
      await app.waitUntilExit();
    } finally {
      process.off('SIGTERM', stop);
      process.off('SIGHUP', stop);
      controller.host = null;
    }
    return outcome;
  };

  try {
    await loop.start({ manual: options.manual });
    for (;;) {
      const outcome = await runApp();
      if (outcome.type === 'quit') break;
      if (outcome.type === 'edit') {
        controller.notify(await runInTerminal(outcome.editor));
      } else {
        await runQuiz(ctx, controller);
        screen = { name: 'home' };
      }
    }
  } finally {
    await loop.close();
    grader.close();
  }
  return 0;
}

/** Save the cursor, and later go back to it and erase below: the quiz's last frame does not stay behind. */
const SAVE_CURSOR = '\u001b7';
const RESTORE_AND_ERASE = '\u001b8\u001b[J';

async function runQuiz(ctx: Context, controller: TutorController): Promise<void> {
  process.stdout.write(SAVE_CURSOR);
  try {
    await quizCommand({
      root: ctx.course.root,
      workspaceDir: ctx.ws.dir,
      stats: false,
      json: false,
      tty: true,
    });
    controller.notify(null);
  } catch (error) {
    controller.notify(error instanceof Error ? error.message : String(error));
  }
  process.stdout.write(RESTORE_AND_ERASE);
  await showQuizCounts(ctx, controller);
}
