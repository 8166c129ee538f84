/**
 * The Verdict, and the verdicts that carry no exploration (a compile error, a grading stopped, a
 * setup problem): the parent process makes these too, without loading the explorer.
 */
import { formatValue } from '../explorer/format.js';

/** One line of a schedule: what a task did and what it got back. */
export interface Step {
  task: string;
  op: string;
  args: unknown[];
  result: string;
}

/** The outcome of grading one exercise; rendered as Ink, plain text or JSON. */
export interface Verdict {
  id: string;
  passed: boolean;
  /** Why it passed or failed, one line (a compile error included). */
  reason: string;
  /** The broken invariant in words, or null when none broke (a compile error, say). */
  invariant: string | null;
  /** The shortest failing schedule; empty when it passed or never ran. */
  schedule: Step[];
  /** Task labels in column order, for drawing the schedule (e.g. "t1 hit('home')"). */
  tasks: string[];
  /** Token for `racelings check ID --replay TOKEN`; null when nothing ran. */
  replay: string | null;
  /** What was explored, in words ("all 924 schedules"). */
  explored: string;
  /**
   * The workload of the failing schedule, in words ("3 callers: hit('a'), hit('a'), count('a');
   * the store held a=41"); null when nothing failed in a run.
   */
  workload: string | null;
  /**
   * Remarks that do not change the verdict, one line each: what a pass cost ("37 kv.get polls for
   * 2 hits: await a promise instead of polling"), or that progress could not be saved.
   */
  notes: string[];
  durationMs: number;
  /** Compile and type errors, each "file:line:col message". */
  diagnostics: string[];
  /** What the learner's console.log printed during the failing schedule. */
  output: string[];
  /**
   * What this machine lacks to grade the exercise at all (no PostgreSQL server it can use), with
   * what to do; null when grading ran. Not the learner's fault: `check` exits 2, not 1.
   */
  setupProblem: string | null;
}

/** Who was graded and for how long (ms). */
export interface Base {
  id: string;
  durationMs: number;
}

/** A verdict with every field at its "nothing ran" value but those given. */
export function verdict(base: Base, fields: Partial<Verdict> & Pick<Verdict, 'passed' | 'reason'>): Verdict {
  return {
    id: base.id,
    invariant: null,
    schedule: [],
    tasks: [],
    replay: null,
    explored: 'nothing',
    workload: null,
    notes: [],
    diagnostics: [],
    output: [],
    setupProblem: null,
    durationMs: Math.round(base.durationMs),
    ...fields,
  };
}

export function compileError(base: Base, diagnostics: string[]): Verdict {
  const more = diagnostics.length > 1 ? ` (+${diagnostics.length - 1} more)` : '';
  return verdict(base, { passed: false, reason: `does not compile: ${diagnostics[0]}${more}`, diagnostics });
}

/** Grading could not run here: the reason says what is missing and what to do. */
export function cannotGrade(base: Base, problem: string): Verdict {
  return verdict(base, { passed: false, reason: `cannot grade here: ${problem}`, setupProblem: problem });
}

export function contained(base: Base, reason: string): Verdict {
  return verdict(base, { passed: false, reason });
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : formatValue(error);
}
