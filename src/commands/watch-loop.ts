import path from 'node:path';
import type { Exercise } from '../course/types.js';
import type { Grader } from '../grader/grader.js';
import type { Verdict } from '../grader/verdict.js';
import { type SaveWatcher, watchSaves } from '../workspace/watcher.js';
import { exerciseFile, exercisesDir } from '../workspace/workspace.js';
import { gradeExercise } from './check.js';
import type { Context } from './context.js';

export type WatchEvent =
  | { type: 'checking'; exercise: string }
  | { type: 'verdict'; exercise: string; verdict: Verdict; at: Date }
  | { type: 'manual'; message: string }
  | { type: 'error'; exercise: string; message: string };

export const MANUAL_MESSAGE = 'file changes are not reported here; press c to check (manual mode)';

/**
 * Watch mode without a screen: saves of the watched exercise's file become gradings, one at a time.
 * Saves that arrive during a grading ask for one more grading, which reads the newest content.
 */
export class WatchLoop {
  private focus: Exercise | null = null;
  private running = false;
  private again = false;
  private watcher: SaveWatcher | null = null;
  private idle: Promise<void> = Promise.resolve();

  constructor(
    private readonly ctx: Context,
    private readonly grader: Grader,
    private readonly emit: (event: WatchEvent) => void,
  ) {}

  /** Start watching the workspace's exercises; with `manual`, or when watching fails, only `check()` grades. */
  async start(options: { manual?: boolean } = {}): Promise<void> {
    if (options.manual) {
      this.emit({ type: 'manual', message: MANUAL_MESSAGE });
      return;
    }
    const watcher = watchSaves(exercisesDir(this.ctx.ws), {
      onSave: (save) => {
        const focus = this.focus;
        if (focus && path.resolve(save.file) === path.resolve(exerciseFile(this.ctx.ws, focus))) this.check();
      },
      onError: () => {
        this.watcher = null;
        void watcher.close();
        this.emit({ type: 'manual', message: MANUAL_MESSAGE });
      },
    });
    this.watcher = watcher;
    await watcher.ready;
  }

  /** Which exercise's saves to grade (null: none). */
  watch(exercise: Exercise | null): void {
    this.focus = exercise;
  }

  get watching(): Exercise | null {
    return this.focus;
  }

  /** Grade the watched exercise now, or once more after the grading under way. */
  check(): void {
    if (!this.focus) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    this.idle = this.run();
  }

  /** Resolves when no grading is under way or asked for. */
  settled(): Promise<void> {
    return this.idle;
  }

  async close(): Promise<void> {
    this.focus = null;
    const watcher = this.watcher;
    this.watcher = null;
    await watcher?.close();
  }

  private async run(): Promise<void> {
    try {
      do {
        this.again = false;
        const exercise = this.focus;
        if (!exercise) break;
        this.emit({ type: 'checking', exercise: exercise.id });
        try {
          const verdict = await gradeExercise(this.ctx, this.grader, exercise);
          this.emit({ type: 'verdict', exercise: exercise.id, verdict, at: new Date() });
        } catch (error) {
          this.emit({
            type: 'error',
            exercise: exercise.id,
            message: error instanceof Error ? error.message : String(error),
          });
        }
      } while (this.again);
    } finally {
      this.running = false;
    }
  }
}
