import type { Verdict } from './verdict.js';

/** Parent → grader process. */
export interface GradeRequest {
  type: 'grade';
  requestId: number;
  exercise: string;
  file: string;
  /** Shown in diagnostics instead of the absolute path. */
  shownAs: string;
  replay?: string;
}

/** Grader process → parent: progress (for the watchdog) and the verdict. */
export type GraderMessage =
  | { type: 'exploring'; requestId: number }
  | { type: 'heartbeat'; requestId: number }
  | { type: 'verdict'; requestId: number; verdict: Verdict };
