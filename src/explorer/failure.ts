/** A schedule that runs longer than this many steps is taken for a task that never stops. */
export const MAX_STEPS = 400;

export type FailureKind =
  | 'invariant'
  | 'deadlock'
  | 'stuck'
  | 'leak'
  | 'stray'
  | 'steps'
  | 'livelock'
  | 'import';

/** Why a run failed: its kind, and the broken rule in words. */
export interface Failure {
  kind: FailureKind;
  message: string;
}
