import { UserError } from '../errors.js';
import { Grader } from '../grader/grader.js';
import { command } from '../report/invocation.js';
import type { GraderPort } from '../session/session.js';
import type { GlobalOptions } from './context.js';

export interface CheckOptions extends GlobalOptions {
  all?: boolean;
  replay?: string;
}

/** `racelings check [ID] [--all] [--replay TOKEN]`: grade once on a session, report, exit 0/1/2. */
export async function checkCommand(id: string | undefined, options: CheckOptions): Promise<number> {
  if (options.all && id)
    throw new UserError('give an exercise id or --all, not both', `e.g. '${command('check counter')}'`);
  if (options.all && options.replay)
    throw new UserError('--replay replays one exercise', `e.g. '${command('check counter --replay TOKEN')}'`);
  // The grader process starts before anything else loads: it loads the checks (and TypeScript, for
  // a file edited since its last check) while this one loads the session and reads the workspace.
  const grader = new Grader();
  grader.warm();
  try {
    const [
      { findExercise },
      { decodeReplay },
      { jsonReporter, plainReporter },
      { Session },
      { teachingOrder },
      { openContext },
      { findReplay },
    ] = await Promise.all([
      import('../course/course.js'),
      import('../explorer/replay.js'),
      import('../report/reporter.js'),
      import('../session/session.js'),
      import('../session/state.js'),
      import('./context.js'),
      import('../workspace/replays.js'),
    ]);
    const ctx = await openContext(options);
    // --all grades in teaching order, the order of `list` and of the tutor.
    const chosen = options.all
      ? teachingOrder(ctx.course.exercises, ctx.course.lessons)
      : [findExercise(ctx.course, id ?? ctx.progress.get().current ?? ctx.course.exercises[0]!.id)];
    // A short name, as the tutor shows them, stands for the token kept under it.
    const replay = options.replay === undefined ? undefined : await findReplay(ctx.ws, options.replay);
    if (replay !== undefined) {
      const point = decodeReplay(replay);
      if (!point)
        throw new UserError(
          'that is not a replay token of this version of racelings',
          'copy the token from a verdict',
        );
      if (point.exercise !== chosen[0]!.id) {
        throw new UserError(
          `that token replays '${point.exercise}'`,
          `run '${command(`check ${point.exercise} --replay ${options.replay}`)}'`,
        );
      }
    }
    const reporter = options.json
      ? jsonReporter({ all: options.all === true })
      : plainReporter({ color: ctx.color, width: ctx.width });
    const verdicts: { passed: boolean; setup: boolean }[] = [];
    // The grader process is closed once the last verdict is in: it exits while the progress is
    // recorded and the verdict printed, not after.
    let left = chosen.length;
    const port: GraderPort = {
      grade: async (input) => {
        const verdict = await grader.grade(input);
        left -= 1;
        if (left === 0) void grader.close();
        return verdict;
      },
      close: () => grader.close(),
    };
    const session = await Session.open(ctx, port, {
      onEvent: (event, state) => {
        if (event.type === 'graded') {
          verdicts.push({ passed: event.verdict.passed, setup: event.verdict.setupProblem !== null });
        }
        reporter.on(event, state);
      },
    });
    for (const exercise of chosen) session.dispatch({ type: 'check', id: exercise.id, replay });
    await session.idle();
    reporter.end();
    // A machine that cannot grade (no database) is an installation problem, not a failed fix.
    if (verdicts.some((v) => v.setup)) return 2;
    return verdicts.every((v) => v.passed) ? 0 : 1;
  } finally {
    await grader.close();
  }
}
