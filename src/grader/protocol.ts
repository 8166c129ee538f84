import type { Compiled } from '../sandbox/compile.js';
import type { Known, Move, PlayPosition } from './position.js';
import type { Verdict } from './verdict.js';

/** Parent → grader process: grade a file. */
export interface GradeRequest {
  type: 'grade';
  requestId: number;
  exercise: string;
  file: string;
  /** Shown in diagnostics instead of the absolute path. */
  shownAs: string;
  replay?: string;
  /** The file's content as the parent read it, graded instead of reading the file again. */
  source?: string;
  /** The parent compiles `source` and sends what it gets (`compiled` messages): wait for them. */
  ahead?: boolean;
}

/** Parent → grader process: a position of `racelings play`, or what the explorer knows of its workload. */
export interface PlayRequest {
  type: 'play';
  requestId: number;
  exercise: string;
  file: string;
  shownAs: string;
  /** Index into the check's examples. */
  workload: number;
  /**
   * `position`: where the moves lead; `explore`: the workload's shortest failing schedule, or its
   * proof; `lead`: a schedule that breaks the code from where the moves lead (a hint).
   */
  ask: 'position' | 'explore' | 'lead';
  moves: Move[];
}

export type GraderRequest = GradeRequest | PlayRequest;

/** Parent → grader process: release what you hold (databases made on a DATABASE_URL server), then exit. */
export interface CloseRequest {
  type: 'close';
}

/**
 * Parent → grader process: news of its compilation of a grade request's `source` (see
 * grader/compiling.ts): the code to explore first, then the type-checked compilation; or, with
 * `error`, why it has none (the grader process compiles the file itself).
 */
export interface CompiledMessage {
  type: 'compiled';
  requestId: number;
  first?: { code: string | null; checked: boolean };
  done?: Compiled;
  error?: string;
}

export type ParentMessage = GraderRequest | CloseRequest | CompiledMessage;

/**
 * Grader process → parent: progress (for the watchdog), the verdict, and the pids of the servers
 * it keeps running on purpose (which the parent must not take for learner strays). `exploring`
 * says whether the code was type-checked first; if not, `typed` follows once its type check passed.
 */
export type GraderMessage =
  | { type: 'exploring'; requestId: number; typeChecked: boolean }
  | { type: 'typed'; requestId: number }
  | { type: 'heartbeat'; requestId: number }
  | { type: 'verdict'; requestId: number; verdict: Verdict }
  | { type: 'position'; requestId: number; position: PlayPosition }
  | { type: 'known'; requestId: number; known: Known }
  | { type: 'services'; pids: number[] };
