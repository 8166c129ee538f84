import type { Verdict } from '../src/grader/verdict.js';
import type { ExerciseInfo, TutorPort, TutorSnapshot } from '../src/ui/tutor-port.js';

/** Lets Ink render and re-bind its input handler (effects run after a commit, in a later macrotask). */
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
};

const exercise = (id: string, lesson: string, title: string): ExerciseInfo => ({
  id,
  title,
  lesson,
  tier: 'async',
  hints: [`first hint for ${id}`, `second hint for ${id}`, `third hint for ${id}`],
  file: `/ws/exercises/${id}/${id}.ts`,
  shownAs: `exercises/${id}/${id}.ts`,
});

export const exercises: ExerciseInfo[] = [
  exercise('counter', 'lost-updates', 'The view counter that loses hits'),
  exercise('cache', 'async-interleavings', 'The cache that stampedes'),
  exercise('transfer', 'liveness', 'The transfer that deadlocks'),
];

/** A port that records what the screens ask for and lets a test push snapshots. */
export class FakePort implements TutorPort {
  calls: string[] = [];
  state: TutorSnapshot = {
    exercises,
    lessonOrder: ['lost-updates', 'async-interleavings', 'liveness'],
    lessons: [],
    done: [],
    current: 'counter',
    hints: {},
    quiz: { new: 5, learning: 2, review: 3, total: 40 },
    open: null,
    manual: null,
    notice: null,
  };
  private listeners = new Set<() => void>();
  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };
  snapshot = () => this.state;
  update(change: Partial<TutorSnapshot>) {
    this.state = { ...this.state, ...change };
    for (const listener of this.listeners) listener();
  }
  openExercise = (id: string) => {
    this.calls.push(`open ${id}`);
    this.update({
      open: {
        id,
        statement: `# ${id}\n\nFix the ${id}.`,
        solution: null,
        checking: true,
        verdict: null,
        error: null,
      },
    });
  };
  closeExercise = () => {
    this.calls.push('close');
    this.update({ open: null });
  };
  check = () => this.calls.push('check');
  seeHint = (id: string) => {
    this.calls.push(`hint ${id}`);
    this.update({ hints: { ...this.state.hints, [id]: Math.min(3, (this.state.hints[id] ?? 0) + 1) } });
  };
  reset = async (id: string) => {
    this.calls.push(`reset ${id}`);
    return `restored ${id}`;
  };
  edit = (id: string) => this.calls.push(`edit ${id}`);
  quiz = () => this.calls.push('quiz');
  quit = () => this.calls.push('quit');
}
