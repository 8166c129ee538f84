import { readFileSync } from 'node:fs';
import path from 'node:path';
import { findExercise } from '../course/course.js';
import type { Lesson } from '../course/lessons.js';
import type { Verdict } from '../grader/verdict.js';
import { missingService } from '../redis/server.js';
import type { OpenExercise, QuizCounts, TutorPort, TutorSnapshot } from '../ui/tutor-port.js';
import { exerciseFile, resetExercise, statementFile } from '../workspace/workspace.js';
import type { Context } from './context.js';
import type { WatchEvent, WatchLoop } from './watch-loop.js';

/** What only the command that owns the terminal can do. */
export interface TutorHost {
  edit(file: string): void;
  quiz(): void;
  quit(): void;
}

/**
 * The tutor's state for the screens, and the one place that turns their requests into grading,
 * progress changes and file reads. Screens read snapshots; every change makes a new one.
 */
export class TutorController implements TutorPort {
  private state: TutorSnapshot;
  private readonly listeners = new Set<() => void>();
  /** The last verdict of each exercise, shown (dimmed) while it is checked again. */
  private readonly verdicts = new Map<string, Verdict>();
  private readonly solutions = new Map<string, string | null>();
  loop: WatchLoop | null = null;
  host: TutorHost | null = null;
  /**
   * Set while the app is unmounted for an editor: the exercise stays open and watched, so a save in
   * the editor is graded once, by the watcher, and the remounted screen finds its verdict.
   */
  keepOpen = false;

  constructor(
    private readonly ctx: Context,
    lessons: Lesson[],
    quiz: QuizCounts | 'unavailable' | null,
  ) {
    this.state = {
      exercises: ctx.course.exercises.map((e) => {
        const file = exerciseFile(ctx.ws, e);
        const relative = path.relative(process.cwd(), file);
        const shownAs = relative.startsWith('..') || relative === '' ? file : relative;
        return { ...e, file, shownAs, needs: missingService(e.tier) };
      }),
      lessonOrder: ctx.course.lessons,
      lessons,
      ...this.progress(),
      quiz,
      open: null,
      manual: null,
      notice: null,
    };
  }

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  snapshot = () => this.state;

  /** Feed the watch loop's events in. */
  onWatch = (event: WatchEvent) => {
    if (event.type === 'manual') return this.set({ manual: event.message });
    const open = this.state.open;
    if (event.type === 'verdict') this.verdicts.set(event.exercise, event.verdict);
    if (!open || open.id !== event.exercise) return this.set(this.progress());
    if (event.type === 'checking') return this.setOpen({ checking: true, error: null });
    if (event.type === 'error') return this.setOpen({ checking: false, error: event.message });
    this.set(this.progress());
    this.setOpen({
      checking: false,
      verdict: event.verdict,
      error: null,
      solution: this.solutionOf(event.exercise),
    });
  };

  openExercise = (id: string) => {
    const kept = this.keepOpen && this.state.open?.id === id;
    this.keepOpen = false;
    if (kept) return;
    const exercise = findExercise(this.ctx.course, id);
    let statement: string;
    try {
      statement = readFileSync(statementFile(this.ctx.ws, exercise), 'utf8');
    } catch {
      statement = `The statement of ${id} is missing from the workspace; 'racelings reset ${id}' restores it.`;
    }
    const open: OpenExercise = {
      id,
      statement,
      solution: this.solutionOf(id),
      checking: true,
      verdict: this.verdicts.get(id) ?? null,
      error: null,
    };
    this.set({ open, notice: null });
    if (!this.ctx.progress.get().done.includes(id)) {
      void this.ctx.progress.setCurrent(id).then(() => this.set(this.progress()));
    }
    this.loop?.watch(exercise);
    this.loop?.check();
  };

  closeExercise = () => {
    if (this.keepOpen) return;
    this.loop?.watch(null);
    this.set({ open: null, notice: null });
  };

  check = () => this.loop?.check();

  seeHint = (id: string) => {
    const exercise = findExercise(this.ctx.course, id);
    void this.ctx.progress.seeHint(id, exercise.hints.length).then(() => this.set(this.progress()));
  };

  reset = async (id: string) => {
    const exercise = findExercise(this.ctx.course, id);
    const backup = await resetExercise(this.ctx.course, this.ctx.ws, exercise);
    await this.ctx.progress.markPending(id);
    this.verdicts.delete(id);
    this.set(this.progress());
    return backup
      ? `restored ${id}; your version is kept in ${path.relative(this.ctx.ws.dir, backup)}`
      : `restored ${id}`;
  };

  edit = (id: string) => this.host?.edit(exerciseFile(this.ctx.ws, findExercise(this.ctx.course, id)));
  quiz = () => this.host?.quiz();
  quit = () => this.host?.quit();

  notify(notice: string | null): void {
    this.set({ notice });
  }

  setQuiz(quiz: QuizCounts | 'unavailable' | null): void {
    this.set({ quiz });
  }

  /** The shipped solution, shown once the exercise is done; read once (not on every save). */
  private solutionOf(id: string): string | null {
    if (!this.ctx.progress.get().done.includes(id)) return null;
    if (!this.solutions.has(id)) {
      const exercise = findExercise(this.ctx.course, id);
      let text: string | null = null;
      try {
        text = readFileSync(path.join(this.ctx.course.root, 'solutions', id, exercise.file), 'utf8');
      } catch {
        // An installation without the file shows no solution rather than failing the screen.
      }
      this.solutions.set(id, text);
    }
    return this.solutions.get(id) ?? null;
  }

  private progress() {
    const { done, current, hints } = this.ctx.progress.get();
    return { done: [...done], current, hints: { ...hints } };
  }

  private setOpen(change: Partial<OpenExercise>): void {
    if (this.state.open) this.set({ open: { ...this.state.open, ...change } });
  }

  private set(change: Partial<TutorSnapshot>): void {
    this.state = { ...this.state, ...change };
    for (const listener of this.listeners) listener();
  }
}
