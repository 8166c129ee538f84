/**
 * The learner's session: the one owner of what the tutor, `watch` and `check` show. Every input is
 * a SessionEvent; `dispatch` is the only place the state changes. Work it starts (grading, reading
 * a statement, writing progress) reports back with another event, so the flow is always
 * source → dispatch → state → screens and reporters.
 *
 * Flow of a save: sources.ts sends `saved` → dispatch asks the grading queue → the grader grades →
 * progress is recorded once → `graded` → the new state reaches Ink (subscribe) and reporters (onEvent).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { findExercise } from '../course/course.js';
import { findLesson, type Lesson, loadLessons } from '../course/lessons.js';
import type { Exercise } from '../course/types.js';
import type { GradeInput } from '../grader/grader.js';
import type { Verdict } from '../grader/verdict.js';
import { contained, errorMessage } from '../grader/verdict.js';
import { missingService } from '../redis/server.js';
import { command } from '../report/invocation.js';
import { keepReplay } from '../workspace/replays.js';
import { isSolved, type SaveOutcome } from '../workspace/state.js';
import { exerciseFile, resetExercise, statementFile } from '../workspace/workspace.js';
import { editorFor, spawnWindowed } from './editor.js';
import type { EventOf, SessionEvent } from './events.js';
import { type GradingJob, GradingQueue } from './grading.js';
import type { Workplace } from './open.js';
import { type QuizSource, quizCounts } from './quiz.js';
import {
  type ExerciseView,
  nextPending,
  type OpenExercise,
  type Route,
  type SessionState,
  statusOf,
  teachingOrder,
} from './state.js';

/** What the session needs of a grader: `Grader` (grader/grader.ts), or a stand-in in tests. */
export interface GraderPort {
  grade(input: GradeInput): Promise<Verdict>;
  /** Resolves once the grader's processes are gone. */
  close(): void | Promise<void>;
}

export interface SessionOptions {
  /** The first screen; home by default. */
  route?: Route;
  /** Load the lessons (the tutor reads them; `check` does not). */
  lessons?: boolean;
  /** Count the quiz's cards for home. */
  quiz?: boolean;
  /** Where paths are shown relative to (the learner's shell). */
  cwd?: string;
  /** A listener that hears every event from the first one on (a reporter). */
  onEvent?: (event: SessionEvent, state: SessionState) => void;
}

/** For sessions that only read (home, list): grading is not theirs to do. */
const NO_GRADER: GraderPort = {
  grade: () => Promise.reject(new Error('this command does not grade')),
  close: () => {},
};

type Listener = () => void;
type EventListener = (event: SessionEvent, state: SessionState) => void;

const MANUAL_MESSAGE = 'file changes are not reported here; press c to check (manual mode)';

/**
 * The learner's session (see the top of this file): state, `dispatch`, the grading queue, and the
 * progress it records once per verdict. `snapshot`/`subscribe` serve Ink; `onEvent` serves reporters.
 */
export class Session {
  private state: SessionState;
  private readonly listeners = new Set<Listener>();
  private readonly eventListeners = new Set<EventListener>();
  private readonly grading: GradingQueue;
  /** The last verdict of each exercise, shown (dimmed) while it is graded again. */
  private readonly verdicts = new Map<string, Verdict>();
  private readonly work = new Set<Promise<unknown>>();
  private readonly order: Exercise[];
  private lessons: Lesson[] = [];
  private closed = false;
  private readonly inbox: SessionEvent[] = [];
  private dispatching = false;

  private constructor(
    readonly place: Workplace,
    private readonly grader: GraderPort,
    private readonly options: SessionOptions,
  ) {
    this.order = teachingOrder(place.course.exercises, place.course.lessons);
    this.grading = new GradingQueue((job) => this.grade(job));
    this.state = {
      route: { name: 'home' },
      exercises: [],
      lessonOrder: place.course.lessons,
      lessons: [],
      done: 0,
      current: null,
      next: null,
      hints: {},
      quiz: options.quiz ? null : 'unavailable',
      open: null,
      manual: null,
      notice: null,
      handoff: null,
    };
    this.state = { ...this.state, ...this.fromProgress() };
  }

  /**
   * A session on an open workplace with its grader. Lessons and quiz counts load in the background
   * when asked for; the first route is entered at once (an exercise starts grading).
   */
  static async open(place: Workplace, grader: GraderPort, options: SessionOptions = {}): Promise<Session> {
    const session = new Session(place, grader, options);
    if (options.onEvent) session.onEvent(options.onEvent);
    if (options.lessons) {
      try {
        session.lessons = await loadLessons(place.course.root, place.course.lessons);
      } catch {
        // A broken lesson file leaves the lessons out, not the exercises.
      }
      session.dispatch({ type: 'progress' });
    }
    if (options.quiz) session.countQuiz();
    session.dispatch({ type: 'go', route: options.route ?? { name: 'home' } });
    return session;
  }

  /** A session that shows progress and grades nothing (`list`, the plain home). */
  static view(place: Workplace, options: SessionOptions = {}): Promise<Session> {
    return Session.open(place, NO_GRADER, options);
  }

  // ---- reading -------------------------------------------------------------------------------

  subscribe = (listener: Listener) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  snapshot = (): SessionState => this.state;

  /** Hear every event after it changed the state (reporters). */
  onEvent(listener: EventListener): () => void {
    this.eventListeners.add(listener);
    return () => {
      this.eventListeners.delete(listener);
    };
  }

  exercise(id: string): Exercise {
    return findExercise(this.place.course, id);
  }

  /** The file the open exercise is graded from (watched by sources.ts), or null. */
  watchedFile(): string | null {
    const open = this.state.open;
    return open ? exerciseFile(this.place.ws, this.exercise(open.id)) : null;
  }

  /** Resolves when no grading and no other work the session started is under way. */
  async idle(): Promise<void> {
    while (this.grading.current || this.work.size > 0) {
      await this.grading.idle();
      await Promise.allSettled([...this.work]);
    }
  }

  /** Stop: nothing more is graded or reported; a grading under way is cut short with its process. */
  async close(): Promise<void> {
    this.closed = true;
    this.grading.clear();
    const closed = this.grader.close();
    await this.idle();
    await closed;
  }

  // ---- the one place the state changes ---------------------------------------------------------

  dispatch(event: SessionEvent): void {
    if (this.closed) return;
    // Events sent while one is handled (a grading that starts) wait their turn: listeners hear
    // every event in the order the state went through them.
    this.inbox.push(event);
    if (this.dispatching) return;
    this.dispatching = true;
    try {
      for (let next = this.inbox.shift(); next; next = this.inbox.shift()) {
        this.reduce(next);
        for (const listener of this.eventListeners) listener(next, this.state);
      }
    } finally {
      this.dispatching = false;
    }
  }

  private reduce(event: SessionEvent): void {
    switch (event.type) {
      case 'saved':
        if (this.isWatched(event.file)) {
          this.setOpen({ saves: this.state.open!.saves + 1, missing: null });
          this.grading.request({ id: this.state.open!.id });
        }
        return;
      case 'file-gone':
        if (this.isWatched(event.file)) {
          const id = this.state.open!.id;
          this.setOpen({
            missing: `${this.shownAs(event.file)} is missing (deleted or moved): saves are not graded until it is back — '${command(`reset ${id}`)}' restores the original`,
          });
        }
        return;
      case 'watch-failed':
        this.set({ manual: event.message || MANUAL_MESSAGE });
        return;
      case 'watching':
        this.set({ manual: null });
        // The files may have changed while nothing watched them.
        if (this.state.open) this.grading.request({ id: this.state.open.id });
        return;
      case 'progress-changed':
        this.start(this.reloadProgress());
        return;
      case 'signal':
      case 'quit':
        this.set({ handoff: { to: 'quit' } });
        return;
      case 'go':
        this.go(event.route);
        return;
      case 'back':
        this.back();
        return;
      case 'check': {
        const id = event.id ?? this.state.open?.id;
        if (id) this.grading.request({ id, replay: event.replay });
        return;
      }
      case 'hint':
        this.hint();
        return;
      case 'next': {
        const open = this.state.open;
        const route = this.state.route;
        if (!open || route.name !== 'exercise' || open.verdict?.passed !== true) return;
        const next = nextPending(
          this.order.map((e) => e.id),
          this.place.progress.get().done,
          open.id,
        );
        if (next) this.go({ ...route, id: next });
        return;
      }
      case 'reset':
        this.start(this.reset(event.id));
        return;
      case 'edit':
        this.edit();
        return;
      case 'quiz':
        if (typeof this.state.quiz === 'object' && this.state.quiz !== null)
          this.set({ handoff: { to: 'quiz' } });
        return;
      case 'play':
        // Playing reads the file and writes nothing: the exercise screen comes back as it was.
        if (this.state.open) this.set({ handoff: { to: 'play', id: this.state.open.id } });
        return;
      case 'opened':
        if (this.state.open?.id === event.id)
          this.setOpen({ statement: event.statement, solution: event.solution });
        return;
      case 'grading':
        if (this.state.open?.id === event.id)
          this.setOpen({ grading: true, gradingSave: this.state.open.saves });
        return;
      case 'graded':
        this.graded(event);
        return;
      case 'progress':
        this.set(this.fromProgress());
        return;
      case 'quiz-counted':
        this.set({ quiz: event.counts });
        return;
      case 'notice':
        this.set({ notice: event.message });
        return;
      case 'returned':
        this.set({ handoff: null, notice: event.message });
        if (event.from === 'quiz') this.countQuiz();
        // Without a watcher nothing else notices what the editor saved.
        if (event.from === 'editor' && this.state.manual && this.state.open) {
          this.grading.request({ id: this.state.open.id });
        }
        return;
    }
  }

  private go(route: Route): void {
    const before = this.state.open;
    const opening = route.name === 'exercise' ? route.id : null;
    // An id that does not exist is a usage error with a suggestion, raised before anything changes.
    if (opening !== null) this.exercise(opening);
    if (route.name === 'lesson' && this.lessons.length > 0) findLesson(this.lessons, route.id);
    this.set({ route, notice: null });
    if (opening === before?.id) return;
    this.grading.clear();
    if (opening === null) {
      this.set({ open: null });
    } else {
      const open: OpenExercise = {
        id: opening,
        statement: null,
        solution: null,
        grading: true,
        verdict: this.verdicts.get(opening) ?? null,
        checkedAt: null,
        saves: 0,
        gradingSave: 0,
        verdictSave: 0,
        missing: null,
      };
      this.set({ open });
      this.start(this.load(opening));
      this.grading.request({ id: opening });
      if (!this.place.progress.get().done.includes(opening)) {
        this.start(this.place.progress.setCurrent(opening).then((outcome) => this.recorded(outcome)));
      }
    }
    if (route.name === 'lesson') {
      this.start(this.place.progress.markRead(route.id).then((outcome) => this.recorded(outcome)));
    }
  }

  private back(): void {
    const route = this.state.route;
    if (route.name === 'exercise') {
      if (route.back === 'quit') {
        this.set({ handoff: { to: 'quit' } });
        return;
      }
      this.go(route.back);
      return;
    }
    if (route.name === 'lesson') {
      if (route.back === 'quit') {
        this.set({ handoff: { to: 'quit' } });
        return;
      }
      this.go({ ...route.back, selected: route.id });
      return;
    }
    if (route.name === 'home' || (route.name === 'lessons' && route.back === 'quit')) {
      this.set({ handoff: { to: 'quit' } });
      return;
    }
    this.go({ name: 'home' });
  }

  private hint(): void {
    const open = this.state.open;
    if (!open) return;
    const exercise = this.exercise(open.id);
    const seen = this.state.hints[open.id] ?? 0;
    if (seen >= exercise.hints.length) {
      const after = isSolved(this.place.progress.get(), open.id)
        ? 's shows the reference solution'
        : `the reference solution opens after a pass, or with '${command(`solution ${open.id} --yes`)}'`;
      this.set({ notice: `no more hints: that was the last of ${exercise.hints.length} — ${after}` });
      return;
    }
    this.set({ notice: null });
    this.start(
      this.place.progress.seeHint(open.id, exercise.hints.length).then((outcome) => this.recorded(outcome)),
    );
  }

  private edit(): void {
    const open = this.state.open;
    if (!open) return;
    const editor = editorFor(exerciseFile(this.place.ws, this.exercise(open.id)));
    if (!editor.windowed) {
      this.set({ handoff: { to: 'editor', editor } });
      return;
    }
    this.start(
      spawnWindowed(editor).then((problem) =>
        this.dispatch({ type: 'notice', message: problem ?? `opened in ${editor.command}; save to check` }),
      ),
    );
  }

  private graded(event: EventOf<'graded'>): void {
    if (!event.replay) this.verdicts.set(event.id, event.verdict);
    this.set(this.fromProgress());
    const open = this.state.open;
    if (open?.id !== event.id) return;
    this.setOpen({
      verdict: event.verdict,
      grading: this.grading.waiting(event.id),
      checkedAt: event.at,
      verdictSave: open.gradingSave,
      solution: event.solution ?? open.solution,
    });
  }

  // ---- work that reports back ------------------------------------------------------------------

  /** Track `promise` so that idle() waits for it; it reports its outcome by dispatching. */
  private start(promise: Promise<unknown>): void {
    const tracked = promise.catch((error: unknown) =>
      this.dispatch({ type: 'notice', message: errorMessage(error) }),
    );
    this.work.add(tracked);
    void tracked.finally(() => this.work.delete(tracked));
  }

  private async load(id: string): Promise<void> {
    const exercise = this.exercise(id);
    let statement: string;
    try {
      statement = await readFile(statementFile(this.place.ws, exercise), 'utf8');
    } catch {
      statement = `The statement of ${id} is missing from the workspace; '${command(`reset ${id}`)}' restores it.`;
    }
    this.dispatch({ type: 'opened', id, statement, solution: await this.solution(id) });
  }

  /** The shipped fix, once the exercise has been passed; null before (and when the file is missing). */
  private async solution(id: string): Promise<string | null> {
    if (!isSolved(this.place.progress.get(), id)) return null;
    const exercise = this.exercise(id);
    try {
      return await readFile(path.join(this.place.course.root, 'solutions', id, exercise.file), 'utf8');
    } catch {
      return null;
    }
  }

  /** One job of the grading queue: grade, record progress once, report. Never throws. */
  private async grade(job: GradingJob): Promise<void> {
    this.dispatch({ type: 'grading', id: job.id });
    const exercise = this.exercise(job.id);
    const file = exerciseFile(this.place.ws, exercise);
    const started = performance.now();
    let verdict: Verdict;
    try {
      verdict = await this.grader.grade({
        exercise: job.id,
        file,
        shownAs: this.shownAs(file),
        replay: job.replay,
      });
    } catch (error) {
      verdict = contained(
        { id: job.id, durationMs: performance.now() - started },
        `could not grade: ${errorMessage(error)}`,
      );
    }
    if (job.replay === undefined) {
      const problem = await this.record(exercise, verdict);
      if (problem) verdict = { ...verdict, notes: [...verdict.notes, problem] };
    }
    // Under its short name, the one the tutor's screen has room for (see workspace/replays.ts).
    if (verdict.replay) await keepReplay(this.place.ws, verdict.replay);
    const solution = this.state.open?.id === job.id ? await this.solution(job.id) : null;
    this.dispatch({
      type: 'graded',
      id: job.id,
      verdict,
      at: new Date(),
      replay: job.replay !== undefined,
      solution,
    });
  }

  /**
   * The verdict's mark on the learner's progress: done after a pass (and the current exercise moves
   * on), pending after a failure. Returns a note when it could not be written; the verdict is shown anyway.
   */
  private async record(exercise: Exercise, verdict: Verdict): Promise<string | null> {
    const progress = this.place.progress;
    const ids = this.order.map((e) => e.id);
    let outcome: SaveOutcome = { saved: true };
    if (verdict.passed) {
      outcome = await progress.markDone(exercise.id, (done) => nextPending(ids, done, exercise.id));
    } else if (verdict.setupProblem === null) {
      // Not graded (no database) says nothing about the learner's file.
      outcome = await progress.markPending(exercise.id);
    }
    return outcome.saved ? null : outcome.warning;
  }

  /** A change of progress was written, or not: the screens show it either way, and say why not. */
  private recorded(outcome: SaveOutcome): void {
    this.dispatch({ type: 'progress' });
    if (!outcome.saved) this.dispatch({ type: 'notice', message: outcome.warning });
  }

  private async reset(id: string): Promise<void> {
    const exercise = this.exercise(id);
    const backup = await resetExercise(this.place.course, this.place.ws, exercise);
    const outcome = await this.place.progress.markPending(id);
    this.verdicts.delete(id);
    this.dispatch({ type: 'progress' });
    const restored = backup
      ? `restored ${id}; your version is kept in ${path.relative(this.place.ws.dir, backup)}`
      : `restored ${id}`;
    this.dispatch({ type: 'notice', message: outcome.saved ? restored : `${restored}; ${outcome.warning}` });
  }

  /** Another racelings (or a person) changed the progress file: read it again. */
  private async reloadProgress(): Promise<void> {
    await this.place.progress.reload();
    this.dispatch({ type: 'progress' });
  }

  /** Where the quiz's cards and state are, and the lessons the learner has met (read or practised). */
  quizSource(topic?: string): QuizSource {
    const progress = this.place.progress.get();
    const met = new Set([...(progress.read ?? []), ...progress.done.map((id) => this.exercise(id).lesson)]);
    return {
      root: this.place.course.root,
      lessons: this.place.course.lessons,
      workspaceDir: this.place.ws.dir,
      met,
      topic,
    };
  }

  private countQuiz(): void {
    this.start(
      quizCounts(this.quizSource()).then(
        ({ counts, notice }) => {
          this.dispatch({ type: 'quiz-counted', counts });
          if (notice) this.dispatch({ type: 'notice', message: notice });
        },
        () => this.dispatch({ type: 'quiz-counted', counts: 'unavailable' }),
      ),
    );
  }

  // ---- derived state ---------------------------------------------------------------------------

  private fromProgress(): Partial<SessionState> {
    const progress = this.place.progress.get();
    const cwd = this.options.cwd ?? process.cwd();
    const exercises: ExerciseView[] = this.order.map((e) => {
      const file = exerciseFile(this.place.ws, e);
      return {
        id: e.id,
        title: e.title,
        lesson: e.lesson,
        tier: e.tier,
        hints: e.hints,
        file,
        shownAs: this.shownAs(file, cwd),
        status: statusOf(progress, e.id),
        needs: missingService(e.tier),
      };
    });
    const ids = exercises.map((e) => e.id);
    const done = progress.done.filter((id) => ids.includes(id));
    const from = this.state?.open?.id ?? progress.current;
    return {
      exercises,
      lessons: this.lessons.map((lesson) => ({ ...lesson, read: (progress.read ?? []).includes(lesson.id) })),
      done: done.length,
      current: progress.current,
      next: from === null ? (ids.find((id) => !done.includes(id)) ?? null) : nextPending(ids, done, from),
      hints: { ...progress.hints },
    };
  }

  /** A path as the learner would type it: relative to their shell's folder unless that climbs out. */
  private shownAs(file: string, cwd = this.options.cwd ?? process.cwd()): string {
    const relative = path.relative(cwd, file);
    return relative.startsWith('..') || relative === '' || path.isAbsolute(relative) ? file : relative;
  }

  private isWatched(file: string): boolean {
    const watched = this.watchedFile();
    return watched !== null && path.resolve(file) === path.resolve(watched);
  }

  private setOpen(change: Partial<OpenExercise>): void {
    if (this.state.open) this.set({ open: { ...this.state.open, ...change } });
  }

  private set(change: Partial<SessionState>): void {
    this.state = { ...this.state, ...change };
    for (const listener of this.listeners) listener();
  }
}
