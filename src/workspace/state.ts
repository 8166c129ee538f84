import { existsSync } from 'node:fs';
import { mkdir, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { Course } from '../course/types.js';
import { tutorDir, type Workspace } from './workspace.js';

/** The learner's progress, as plain JSON a person can read and sync. */
export interface Progress {
  version: 1;
  current: string | null;
  done: string[];
  /** How many hints of each exercise have been shown. */
  hints: Record<string, number>;
  /** Lessons opened in the tutor, in the order first read (absent in files of older versions). */
  read?: string[];
}

const fresh = (course: Course): Progress => ({
  version: 1,
  current: course.exercises[0]?.id ?? null,
  done: [],
  hints: {},
});

function parse(text: string, course: Course): Progress | null {
  try {
    const data = JSON.parse(text) as Partial<Progress>;
    const ids = new Set(course.exercises.map((e) => e.id));
    if (
      data.version !== 1 ||
      !Array.isArray(data.done) ||
      typeof data.hints !== 'object' ||
      data.hints === null
    )
      return null;
    return {
      version: 1,
      current:
        typeof data.current === 'string' && ids.has(data.current) ? data.current : fresh(course).current,
      done: data.done.filter((id): id is string => typeof id === 'string' && ids.has(id)),
      hints: Object.fromEntries(
        Object.entries(data.hints).filter(
          ([id, n]) => ids.has(id) && Number.isInteger(n) && (n as number) >= 0,
        ),
      ) as Record<string, number>,
      ...(Array.isArray(data.read)
        ? {
            read: data.read.filter(
              (id): id is string => typeof id === 'string' && course.lessons.includes(id),
            ),
          }
        : {}),
    };
  } catch {
    return null;
  }
}

/** The one owner of the learner's progress: every change is written atomically at once. */
export class ProgressStore {
  private constructor(
    private readonly file: string,
    private progress: Progress,
    /** Said once to the learner when the file had to be rebuilt. */
    readonly notice: string | null,
  ) {}

  static async open(ws: Workspace, course: Course): Promise<ProgressStore> {
    const file = path.join(tutorDir(ws), 'state.json');
    if (!existsSync(file)) {
      const store = new ProgressStore(file, fresh(course), null);
      await store.save();
      return store;
    }
    const progress = parse(await readFile(file, 'utf8'), course);
    if (progress) return new ProgressStore(file, progress, null);
    const backup = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    await rename(file, backup);
    const store = new ProgressStore(
      file,
      fresh(course),
      `your progress file could not be read; it was kept as ${path.relative(ws.dir, backup)} and progress starts afresh (run 'racelings check --all' to mark what you have solved)`,
    );
    await store.save();
    return store;
  }

  get(): Readonly<Progress> {
    return this.progress;
  }

  async markDone(id: string): Promise<void> {
    if (this.progress.done.includes(id)) return;
    await this.update({ done: [...this.progress.done, id] });
  }

  async markPending(id: string): Promise<void> {
    if (!this.progress.done.includes(id)) return;
    await this.update({ done: this.progress.done.filter((d) => d !== id) });
  }

  async setCurrent(id: string): Promise<void> {
    if (this.progress.current !== id) await this.update({ current: id });
  }

  /** Note that the lesson `id` was read. */
  async markRead(id: string): Promise<void> {
    const read = this.progress.read ?? [];
    if (!read.includes(id)) await this.update({ read: [...read, id] });
  }

  /** Count one more hint of `id` seen; returns how many have been seen. */
  async seeHint(id: string, available: number): Promise<number> {
    const seen = Math.min((this.progress.hints[id] ?? 0) + 1, available);
    await this.update({ hints: { ...this.progress.hints, [id]: seen } });
    return seen;
  }

  private async update(change: Partial<Progress>): Promise<void> {
    this.progress = { ...this.progress, ...change };
    await this.save();
  }

  private async save(): Promise<void> {
    await mkdir(path.dirname(this.file), { recursive: true });
    await writeFileAtomic(this.file, `${JSON.stringify(this.progress, null, 2)}\n`);
  }
}
