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

export type ParentMessage = GraderRequest | CloseRequest;

/**
 * Grader process → parent: progress (for the watchdog), the verdict, and the pids of the servers
 * it keeps running on purpose (which the parent must not take for learner strays).
 */
export type GraderMessage =
  | { type: 'exploring'; requestId: number }
  | { type: 'heartbeat'; requestId: number }
  | { type: 'verdict'; requestId: number; verdict: Verdict }
  | { type: 'position'; requestId: number; position: PlayPosition }
  | { type: 'known'; requestId: number; known: Known }
  | { type: 'services'; pids: number[] };
