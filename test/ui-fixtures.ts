import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadCourse } from '../src/course/course.js';
import type { GradeInput } from '../src/grader/grader.js';
import type { Verdict } from '../src/grader/verdict.js';
import { openWorkplace, type Workplace } from '../src/session/open.js';
import { type GraderPort, Session, type SessionOptions } from '../src/session/session.js';
import { teachingOrder } from '../src/session/state.js';
import { createWorkspace } from '../src/workspace/init.js';
import { tempDir } from './temp.js';

/** Lets Ink render and re-bind its input handler (effects run after a commit, in a later macrotask). */
const course = await loadCourse();
/** The course's exercises in the tutor's teaching order, and how many there are: tests follow the course. */
export const ORDER = teachingOrder(course.exercises, course.lessons);
export const TOTAL = ORDER.length;
/** The exercise the tutor offers after counter, and its title. */
export const AFTER_COUNTER = ORDER[ORDER.findIndex((e) => e.id === 'counter') + 1]!;

export const tick = async () => {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setTimeout(resolve, 0));
};

export const failedVerdict: Verdict = {
  id: 'counter',
  passed: false,
  reason: 'invariant broken in "two hits of one page": the store holds 1 after 2 hits',
  invariant: 'the store holds 1 after 2 hits',
  schedule: [
    { task: 't1', op: 'call', args: [], result: "t1 hit('home')" },
    { task: 't2', op: 'call', args: [], result: "t2 hit('home')" },
    { task: 't1', op: 'kv.get', args: ['home'], result: '→ undefined' },
    { task: 't2', op: 'kv.get', args: ['home'], result: '→ undefined' },
    { task: 't2', op: 'kv.set', args: ['home', 1], result: '→ ok' },
    { task: 't1', op: 'kv.set', args: ['home', 1], result: '→ ok' },
    { task: 't1', op: 'return', args: [], result: '✓ done' },
  ],
  tasks: ["t1 hit('home')", "t2 hit('home')"],
  replay: 'TOKEN',
  explored: 'failed after 1 schedule',
  workload: "2 callers: hit('home'), hit('home')",
  notes: [],
  durationMs: 40,
  diagnostics: [],
  output: [],
  setupProblem: null,
};

export const passedVerdict: Verdict = {
  ...failedVerdict,
  passed: true,
  reason: 'every invariant held in all 924 schedules',
  invariant: null,
  schedule: [],
  tasks: [],
  replay: null,
  explored: 'all 924 schedules',
  workload: null,
};

/** A verdict of the busy-flag lock without `finally`: 398 identical polls between two starts. */
export const loopingVerdict: Verdict = {
  ...failedVerdict,
  reason: 'never finished in "two hits of one page": the tasks were still running after 400 steps',
  invariant: 'the tasks were still running after 400 steps',
  schedule: [
    { task: 't2', op: 'call', args: [], result: '' },
    { task: 't1', op: 'call', args: [], result: '' },
    ...Array.from({ length: 398 }, () => ({
      task: 't1',
      op: 'kv.get',
      args: ['home'],
      result: '→ undefined',
    })),
  ],
};

/**
 * A grader whose gradings finish when the test says, with the verdict it gives; it notes what the
 * file held when each began.
 */
export class HeldGrader implements GraderPort {
  inputs: GradeInput[] = [];
  read: string[] = [];
  closed = false;
  /** Gradings the session has recorded and reported (`graded` events), counted by heldSession. */
  landed = 0;
  private waiting: Array<(verdict: Verdict) => void> = [];
  grade(input: GradeInput): Promise<Verdict> {
    this.inputs.push(input);
    try {
      this.read.push(readFileSync(input.file, 'utf8'));
    } catch {
      this.read.push('(missing)');
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }
  get pending(): number {
    return this.waiting.length;
  }
  /** Finish the oldest grading with `verdict` (a failure of counter by default), and let it land. */
  async finish(verdict: Partial<Verdict> = {}): Promise<void> {
    const id = this.inputs[this.inputs.length - this.waiting.length]?.exercise ?? 'counter';
    const landed = this.landed;
    const finished = this.waiting.shift();
    finished?.({ ...failedVerdict, id, ...verdict });
    // Recording progress reads and writes state.json under its lock before the verdict lands.
    for (let waited = 0; finished && this.landed === landed && waited < 5000; waited += 5) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await tick();
  }
  close(): void {
    this.closed = true;
  }
}

/** A fresh workspace of the real course, opened as a command would. */
export async function workplace(): Promise<Workplace> {
  const course = await loadCourse();
  const dir = path.join(tempDir('session'), 'ws');
  await createWorkspace(dir, course);
  return openWorkplace(dir);
}

/** A session on a fresh workspace with a held grader. */
export async function heldSession(options: SessionOptions = {}) {
  const place = await workplace();
  const grader = new HeldGrader();
  const session = await Session.open(place, grader, {
    cwd: place.ws.dir,
    ...options,
    onEvent: (event, state) => {
      if (event.type === 'graded') grader.landed++;
      options.onEvent?.(event, state);
    },
  });
  await tick();
  return { place, grader, session };
}
