import { findExercise } from '../course/course.js';
import { Grader } from '../grader/grader.js';
import { command } from '../report/invocation.js';
import { jsonLinesReporter, plainReporter } from '../report/reporter.js';
import { Session } from '../session/session.js';
import { MANUAL_MESSAGE, onSignals, type Stop, watchExercises } from '../session/sources.js';
import { type GlobalOptions, openContext } from './context.js';

export interface WatchOptions extends GlobalOptions {
  manual?: boolean;
}

/**
 * `racelings watch [ID]` without a screen: a session on that one exercise, graded at the start and
 * on every save, reported as JSON lines (`--json`) or plain verdicts, until Ctrl-C or SIGTERM.
 */
export async function watchCommand(id: string | undefined, options: WatchOptions): Promise<number> {
  // The grader process loads TypeScript while this one reads the workspace.
  const grader = new Grader();
  grader.warm();
  const stops: Stop[] = [];
  let session: Session | null = null;
  try {
    const ctx = await openContext(options);
    const exercise = findExercise(
      ctx.course,
      id ?? ctx.progress.get().current ?? ctx.course.exercises[0]!.id,
    ).id;
    const reporter = options.json
      ? jsonLinesReporter()
      : plainReporter({ color: ctx.color, width: ctx.width, announce: true });
    let leave = () => {};
    const left = new Promise<void>((resolve) => {
      leave = resolve;
    });
    session = await Session.open(ctx, grader, {
      route: { name: 'exercise', id: exercise, back: 'quit' },
      onEvent: (event, state) => {
        reporter.on(event, state);
        if (state.handoff?.to === 'quit') leave();
      },
    });
    stops.push(onSignals(session, ['SIGINT', 'SIGTERM', 'SIGHUP']));
    if (options.manual) session.dispatch({ type: 'watch-failed', message: MANUAL_MESSAGE });
    else stops.push(await watchExercises(session));
    if (!options.json) {
      ctx.say(
        `watching ${exercise} — save the file to grade it again; Ctrl-C stops (${command(`check ${exercise}`)} grades once)`,
      );
    }
    await left;
  } finally {
    for (const stop of stops) await stop();
    await session?.close();
    await grader.close();
  }
  return 0;
}
