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

/** Parent → grader process: release what you hold (databases made on a DATABASE_URL server), then exit. */
export interface CloseRequest {
  type: 'close';
}

export type ParentMessage = GradeRequest | CloseRequest;

/**
 * Grader process → parent: progress (for the watchdog), the verdict, and the pids of the servers
 * it keeps running on purpose (which the parent must not take for learner strays).
 */
export type GraderMessage =
  | { type: 'exploring'; requestId: number }
  | { type: 'heartbeat'; requestId: number }
  | { type: 'verdict'; requestId: number; verdict: Verdict }
  | { type: 'services'; pids: number[] };
