import { findExercise } from '../course/course.js';
import { UserError } from '../errors.js';
import { Grader } from '../grader/grader.js';
import { type Known, movesText, parseMoves } from '../grader/position.js';
import { command } from '../report/invocation.js';
import { paintLine } from '../report/plain.js';
import { layoutPlay, playLines } from '../report/play.js';
import { playPort } from '../session/play.js';
import { type GlobalOptions, openContext } from './context.js';

export interface PlayOptions extends GlobalOptions {
  /** Caller numbers, "1 2 2f 1": play them and print where they lead, no screen. */
  moves?: string;
  /** 1-based: which of the check's example workloads to play. */
  workload?: string;
  /** Play the shipped broken file, not the learner's version. */
  original?: boolean;
  /** Keys in and frames out: the play screen. */
  tty: boolean;
}

/** `play --moves … --json`: the documented shape (see the README). */
export interface PlayJson {
  id: string;
  moves: string;
  schedule: { task: string; op: string; args: unknown[]; result: string }[];
  invariant: string | null;
  finished: boolean;
}

function workloadIndex(text: string | undefined): number {
  if (text === undefined) return 0;
  if (!/^[1-9]\d{0,2}$/.test(text)) {
    throw new UserError(
      `--workload takes a workload's number (1, 2, …), not '${text}'`,
      `e.g. '${command('play counter --workload 2')}'`,
    );
  }
  return Number(text) - 1;
}

/**
 * `racelings play [ID]`: be the scheduler. On a terminal without --moves, the play screen; with
 * --moves, the position they lead to as text or JSON. Exit 0 when the moves were played (whether
 * or not something broke), 2 for a move that cannot be played, a file that does not compile, or
 * a machine that cannot run the exercise. Reads the learner's file; writes nothing.
 */
export async function playCommand(id: string | undefined, options: PlayOptions): Promise<number> {
  const workload = workloadIndex(options.workload);
  const moves = options.moves === undefined ? [] : parseMoves(options.moves);
  if (moves === null) {
    throw new UserError(
      `--moves takes caller numbers, each with an optional f to make its step fail: '${options.moves}' is not that`,
      `e.g. '${command('play counter --moves "1 2 1 2 1 2"')}'`,
    );
  }
  const grader = new Grader();
  grader.warm();
  try {
    const ctx = await openContext(options);
    const exercise = findExercise(
      ctx.course,
      id ?? ctx.progress.get().current ?? ctx.course.exercises[0]!.id,
    );
    const port = playPort(grader, ctx, exercise.id, { original: options.original });
    if (options.moves === undefined && options.tty && !options.json) {
      const { mountPlay } = await import('../ui/PlayScreen.js');
      await mountPlay(port, workload);
      return 0;
    }
    const position = await port.position(workload, moves);
    if (position.problem !== null) throw new UserError(`cannot play ${exercise.id}: ${position.problem}`);
    if (position.refused !== null) throw new UserError(position.refused.message);
    if (options.json) {
      const json: PlayJson = {
        id: position.id,
        moves: movesText(position.moves),
        schedule: position.schedule,
        invariant: position.invariant,
        finished: position.finished,
      };
      process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
      return 0;
    }
    const known: Known | null = position.verdict ? await port.explore(workload) : null;
    const layout = layoutPlay(position, {
      width: ctx.width,
      goal: port.exercise.goal,
      known,
      hint: null,
      proof: false,
    });
    const lines = playLines(layout).map((line) => paintLine(line, ctx.color));
    if (options.moves === undefined) {
      lines.push(
        '',
        `play it on a terminal, or give the moves: ${command(`play ${exercise.id} --moves "1 2 …"`)}`,
      );
    }
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  } finally {
    grader.close();
  }
}
