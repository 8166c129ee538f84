/**
 * Playing the scheduler (`racelings play`): the learner picks every step of a run of the check's
 * scenario. A position is the list of moves so far; the grader process runs the scenario along
 * them and answers with what the screen shows.
 */
import type { StateRow } from '../explorer/scenario.js';
import type { Step, Verdict } from './verdict.js';

/**
 * One move: caller `caller` (1-based, as the timeline's t1, t2…; 0 is background work) takes its
 * next step — it starts, or its oldest pending operation takes effect. With `fail`, that operation
 * fails instead (where the check allows a failure).
 */
export interface Move {
  caller: number;
  fail?: true;
}

/** Where a caller stands: before its call, able to move, held up, or settled. */
export type CallerState = 'not started' | 'ready' | 'blocked' | 'done' | 'threw' | 'crashed' | 'stuck';

export interface CallerView {
  /** 1-based; 0 for background work (timers set outside every call). */
  caller: number;
  /** As the timeline heads its column: "t1 hit('home')". */
  label: string;
  state: CallerState;
  /** What its next step does, as a schedule step reads (op `call` when it has not started); null when it has none. */
  next: Pick<Step, 'op' | 'args'> | null;
  /** Why it cannot move, or how it ended, in words ("waits for lock(amy), held by t1"); null when ready. */
  note: string | null;
  canMove: boolean;
  /** Its next step may be made to fail (`f`). */
  canFail: boolean;
  /** 1-based line of the learner's file at which its next step waits; null when not known. */
  line: number | null;
}

/** The workload being played: which of the check's examples, and in words. */
export interface PlayedWorkload {
  /** 0-based index into the check's examples. */
  index: number;
  count: number;
  text: string;
}

export interface PlayPosition {
  id: string;
  workload: PlayedWorkload;
  /** The moves played: the ones asked for, up to a refused one. */
  moves: Move[];
  callers: CallerView[];
  /** The shared state as it stands: the scenario's rows, then every lock and its holder. */
  state: StateRow[];
  /** The run so far, as in a verdict: steps in global order, and the columns. */
  schedule: Step[];
  tasks: string[];
  /** No caller can move any more: every one settled, an invariant broke, or the rest wait forever. */
  finished: boolean;
  /** Once the run broke (an invariant, a deadlock): the verdict a check gives this schedule; else null. */
  verdict: Verdict | null;
  /** The invariant that broke, in words; null while nothing has. */
  invariant: string | null;
  /** The learner's file, line by line (the code around each caller's next step is shown from it). */
  source: string[];
  /** A move that could not be played, and why in words naming the callers that can move. */
  refused: { index: number; message: string } | null;
  /** Play could not start (the file does not compile, no database): what is wrong and what to do. */
  problem: string | null;
  /** The problem is this machine's (no database), not the learner's file. */
  setupProblem: boolean;
}

/** What the explorer knows of the workload played, for the hint, the step count and "prove it". */
export interface Known {
  /** Its shortest failing schedule as moves; null when it found none. */
  shortest: Move[] | null;
  /** The invariant that schedule breaks, in words. */
  failure: string | null;
  /** Every interleaving of the workload was explored (and none failed when `shortest` is null). */
  exhaustive: boolean;
  /** Distinct interleavings run to the end. */
  interleavings: number;
  /** What was explored, in words ("all 24 distinct interleavings of this workload"). */
  explored: string;
  /** Exploring could not run (the file does not compile, no database, an endless loop): why. */
  problem: string | null;
}

/** "1 2 2f 1" for moves. */
export function movesText(moves: readonly Move[]): string {
  return moves.map((move) => `${move.caller}${move.fail ? 'f' : ''}`).join(' ');
}

/** Moves from "1 2 2f 1" (spaces or commas between them); null when a word is not a move. */
export function parseMoves(text: string): Move[] | null {
  const words = text.split(/[\s,]+/).filter((word) => word !== '');
  const moves: Move[] = [];
  for (const word of words) {
    const match = /^(\d{1,2})(f?)$/.exec(word);
    if (!match) return null;
    moves.push(match[2] ? { caller: Number(match[1]), fail: true } : { caller: Number(match[1]) });
  }
  return moves;
}

/** A position where play could not start or was stopped: only the problem to show. */
export function unplayable(
  id: string,
  workload: PlayedWorkload,
  source: string,
  problem: string,
  setupProblem = false,
): PlayPosition {
  return {
    id,
    workload,
    moves: [],
    callers: [],
    state: [],
    schedule: [],
    tasks: [],
    finished: false,
    verdict: null,
    invariant: null,
    source: source === '' ? [] : source.split('\n'),
    refused: null,
    problem,
    setupProblem,
  };
}

/** What a play request that could not explore answers: nothing proved, and `problem` says why. */
export function nothingKnown(problem: string): Known {
  return { shortest: null, failure: null, exhaustive: false, interleavings: 0, explored: 'nothing', problem };
}

/** "1 move", "3 moves". */
export const movesCount = (n: number): string => `${n} move${n === 1 ? '' : 's'}`;
