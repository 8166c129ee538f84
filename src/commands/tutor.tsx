import { Grader } from '../grader/grader.js';
import { errorMessage } from '../grader/verdict.js';
import { runInTerminal } from '../session/editor.js';
import { playPort } from '../session/play.js';
import { QuizRun, summaryText } from '../session/quiz.js';
import { Session } from '../session/session.js';
import { MANUAL_MESSAGE, onSignals, type Stop, watchExercises, watchProgress } from '../session/sources.js';
import type { Handoff, Route } from '../session/state.js';
import { mountUntil } from '../ui/lifecycle.js';
import { mountPlay } from '../ui/PlayScreen.js';
import { mountQuiz } from '../ui/quiz/QuizApp.js';
import { TutorApp } from '../ui/TutorApp.js';
import { type GlobalOptions, openContext } from './context.js';

export interface TutorOptions extends GlobalOptions {
  /** The first screen (home by default): the lessons for `learn`. */
  route?: Route;
  /** `watch [ID]`: open this exercise (the current one without an id); leaving it ends the tutor. */
  watch?: { id?: string };
  /** Do not watch files: grade on `c` only. */
  manual?: boolean;
}

/**
 * The tutor: one session, its sources, and the Ink app mounted until the session hands the
 * terminal over — to an editor or the quiz (then mounted again on the same session), or to leave.
 */
export async function tutorCommand(options: TutorOptions): Promise<number> {
  const grader = new Grader();
  grader.warm();
  const stops: Stop[] = [];
  let session: Session | null = null;
  try {
    const ctx = await openContext(options);
    const route: Route | undefined = options.watch
      ? {
          name: 'exercise',
          id: options.watch.id ?? ctx.progress.get().current ?? ctx.course.exercises[0]!.id,
          back: 'quit',
        }
      : options.route;
    session = await Session.open(ctx, grader, { route, lessons: true, quiz: true });
    stops.push(onSignals(session));
    if (options.manual) session.dispatch({ type: 'watch-failed', message: MANUAL_MESSAGE });
    else stops.push(await watchExercises(session));
    stops.push(await watchProgress(session));
    for (;;) {
      const live = session;
      const handoff = await mountUntil(
        <TutorApp session={live} color={ctx.color} />,
        new Promise<Handoff>((resolve) => {
          const check = () => {
            const next = live.snapshot().handoff;
            if (next) {
              off();
              resolve(next);
            }
          };
          const off = live.subscribe(check);
          check();
        }),
      );
      if (!handoff || handoff.to === 'quit') break;
      if (handoff.to === 'editor') {
        session.dispatch({ type: 'returned', from: 'editor', message: await runInTerminal(handoff.editor) });
      } else if (handoff.to === 'play') {
        await mountPlay(playPort(grader, ctx, handoff.id), 0);
        session.dispatch({ type: 'returned', from: 'play', message: null });
      } else {
        let message: string;
        try {
          message = summaryText(await mountQuiz(await QuizRun.open(session.quizSource())));
        } catch (error) {
          message = errorMessage(error);
        }
        session.dispatch({ type: 'returned', from: 'quiz', message });
      }
    }
  } finally {
    for (const stop of stops) await stop();
    await session?.close();
    await grader.close();
  }
  return 0;
}
