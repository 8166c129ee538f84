import { mkdir, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import writeFileAtomic from 'write-file-atomic';
import type { Course } from '../course/types.js';
import { describeFileError, isFileSystemError, UserError } from '../errors.js';
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
  /**
   * Exercises passed at least once, in the order first passed (absent in files of older versions,
   * where `done` stands for them). `done` is what passes now: a later failing save takes an
   * exercise out of it, not out of this, and its reference solution stays open.
   */
  solved?: string[];
}

/** Whether `id` has been passed at least once: its reference solution is open to the learner. */
export function isSolved(progress: Readonly<Progress>, id: string): boolean {
  return progress.done.includes(id) || (progress.solved ?? []).includes(id);
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
      ...(Array.isArray(data.solved)
        ? { solved: data.solved.filter((id): id is string => typeof id === 'string' && ids.has(id)) }
        : {}),
    };
  } catch {
    return null;
  }
}

/**
 * Whether a change reached the disk. When it did not, the change still holds in this process and
 * `warning` says in one line why it was not saved and what to do; it is shown beside the verdict
 * or hint, never instead of it.
 */
export type SaveOutcome = { saved: true } | { saved: false; warning: string };

/** One change to the progress, applied to whatever is on disk when it is written. */
type Change = (progress: Progress) => Progress;

/**
 * A write holds `state.json.lock` for a few milliseconds; a holder killed in that window leaves a
 * lock that others take over once it is this old (proper-lockfile refreshes a live one's mtime).
 */
const LOCK_STALE_MS = 5000;
/** How long a write waits for another process's lock before it gives up. */
const LOCK_WAIT_MS = 5000;

/**
 * Take the lock of `file`, waiting while another process holds it. proper-lockfile's own retries
 * would also retry EACCES or ENOSPC, which waiting cannot cure.
 */
async function lock(file: string): Promise<() => Promise<void>> {
  const until = Date.now() + LOCK_WAIT_MS;
  for (let pause = 5; ; pause = Math.min(pause * 2, 100)) {
    try {
      return await lockfile.lock(file, {
        realpath: false,
        stale: LOCK_STALE_MS,
        // Held for one atomic write only: a lock taken over meanwhile cannot corrupt the file.
        onCompromised: () => {},
      });
    } catch (error) {
      if (!isFileSystemError(error) || error.code !== 'ELOCKED' || Date.now() > until) throw error;
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}

const stamp = () => new Date().toISOString().replace(/[:.]/g, '-');

type Read = { progress: Progress } | { missing: true } | { unreadable: true };

/** The file as it is now; a folder or bad JSON in its place is `unreadable`; EACCES and the like throw. */
async function readState(file: string, course: Course): Promise<Read> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (isFileSystemError(error) && error.code === 'ENOENT') return { missing: true };
    if (isFileSystemError(error) && error.code === 'EISDIR') return { unreadable: true };
    throw error;
  }
  const progress = parse(text, course);
  return progress ? { progress } : { unreadable: true };
}

/**
 * The one owner of the learner's progress. Several racelings processes may share a workspace (the
 * tutor in one terminal, `check` in another): each change is applied to what is on disk at that
 * moment, under a lock file, and written atomically, so no process overwrites another's progress.
 * Re-reading under a lock keeps state.json one small JSON file a person can read and sync, where
 * an append-only log would grow and need folding.
 */
export class ProgressStore {
  /** Changes not yet on disk (a failed write), applied again with the next write. */
  private unsaved: Change[] = [];
  private writing: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly ws: Workspace,
    private readonly course: Course,
    /** What was on disk at the last read or write. */
    private base: Progress,
    /** Said once to the learner when the file had to be set aside. */
    readonly notice: string | null,
  ) {}

  private static file(ws: Workspace): string {
    return path.join(tutorDir(ws), 'state.json');
  }

  /**
   * Read the progress of `ws`. A missing file is a fresh start (nothing is written until a change);
   * a corrupt one, or a folder in its place, is set aside as `state.json.corrupt-<time>` with a
   * notice. Throws a UserError when the file exists but cannot be read (EACCES, say).
   */
  static async open(ws: Workspace, course: Course): Promise<ProgressStore> {
    const file = ProgressStore.file(ws);
    const shown = path.relative(ws.dir, file);
    let read: Read;
    try {
      read = await readState(file, course);
    } catch (error) {
      const { why, fix } = describeFileError(error);
      throw new UserError(`cannot read your progress, ${shown}: ${why}`, fix);
    }
    if ('progress' in read) return new ProgressStore(ws, course, read.progress, null);
    if ('missing' in read) return new ProgressStore(ws, course, fresh(course), null);
    const backup = `${file}.corrupt-${stamp()}`;
    try {
      await rename(file, backup);
    } catch (error) {
      const { why, fix } = describeFileError(error);
      const notice = `your progress file ${shown} could not be read, nor set aside (${why}); progress starts afresh — ${fix}`;
      return new ProgressStore(ws, course, fresh(course), notice);
    }
    const store = new ProgressStore(
      ws,
      course,
      fresh(course),
      `your progress file could not be read; it was kept as ${path.relative(ws.dir, backup)} and progress starts afresh (run 'racelings check --all' to mark what you have solved)`,
    );
    // Best effort: a file that cannot be written now is written with the first change that can.
    await store.change((progress) => progress);
    return store;
  }

  /** Write fresh progress for a new workspace; throws the file system's error when that fails. */
  static async create(ws: Workspace, course: Course): Promise<ProgressStore> {
    const file = ProgressStore.file(ws);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFileAtomic(file, serialize(fresh(course)));
    return new ProgressStore(ws, course, fresh(course), null);
  }

  /** This process's view: what was on disk at the last read or write, plus its unsaved changes. */
  get(): Readonly<Progress> {
    return this.unsaved.reduce((progress, change) => change(progress), this.base);
  }

  /**
   * Mark `id` done. `next`, given the done list with `id` in it, names the exercise that becomes
   * current when `id` was the current one (null keeps `id` current: all are done).
   */
  markDone(id: string, next?: (done: readonly string[]) => string | null): Promise<SaveOutcome> {
    return this.change((progress) => {
      const done = progress.done.includes(id) ? progress.done : [...progress.done, id];
      const after = next && progress.current === id ? next(done) : null;
      const solved = progress.solved ?? [];
      return {
        ...progress,
        done,
        current: after ?? progress.current,
        solved: solved.includes(id) ? solved : [...solved, id],
      };
    });
  }

  markPending(id: string): Promise<SaveOutcome> {
    return this.change((progress) => ({ ...progress, done: progress.done.filter((d) => d !== id) }));
  }

  setCurrent(id: string): Promise<SaveOutcome> {
    return this.change((progress) => ({ ...progress, current: id }));
  }

  /** Note that the lesson `id` was read. */
  markRead(id: string): Promise<SaveOutcome> {
    return this.change((progress) => {
      const read = progress.read ?? [];
      return read.includes(id) ? progress : { ...progress, read: [...read, id] };
    });
  }

  /** Count one more hint of `id` seen, at most `available`; `seen` is how many have been seen. */
  async seeHint(id: string, available: number): Promise<SaveOutcome & { seen: number }> {
    const outcome = await this.change((progress) => ({
      ...progress,
      hints: { ...progress.hints, [id]: Math.min((progress.hints[id] ?? 0) + 1, available) },
    }));
    return { ...outcome, seen: this.get().hints[id] ?? 0 };
  }

  /**
   * Read the file again after another process changed it, keeping this store's unsaved changes on
   * top. A file that cannot be read now leaves the view as it was; the next write sets it aside.
   */
  reload(): Promise<void> {
    const reading = this.writing.then(async () => {
      const read = await readState(ProgressStore.file(this.ws), this.course).catch(() => null);
      if (read && 'progress' in read) this.base = read.progress;
    });
    this.writing = reading;
    return reading;
  }

  /** Apply `change` here at once, and to the file under its lock, one write of this store at a time. */
  private change(change: Change): Promise<SaveOutcome> {
    this.unsaved.push(change);
    const outcome = this.writing.then(() => this.write());
    this.writing = outcome;
    return outcome;
  }

  private async write(): Promise<SaveOutcome> {
    if (this.unsaved.length === 0) return { saved: true };
    const file = ProgressStore.file(this.ws);
    try {
      await mkdir(path.dirname(file), { recursive: true });
      const release = await lock(file);
      try {
        const read = await readState(file, this.course);
        if ('unreadable' in read) await rename(file, `${file}.corrupt-${stamp()}`);
        const onDisk = 'progress' in read ? read.progress : null;
        const pending = this.unsaved.slice();
        const merged = pending.reduce((progress, change) => change(progress), onDisk ?? this.base);
        if (onDisk === null || serialize(merged) !== serialize(onDisk)) {
          await writeFileAtomic(file, serialize(merged));
        }
        this.base = merged;
        this.unsaved = this.unsaved.slice(pending.length);
      } finally {
        await release().catch(() => {});
      }
      return { saved: true };
    } catch (error) {
      return { saved: false, warning: this.warning(error) };
    }
  }

  private warning(error: unknown): string {
    const shown = path.relative(this.ws.dir, ProgressStore.file(this.ws));
    if (isFileSystemError(error) && error.code === 'ELOCKED') {
      return `progress could not be saved: ${shown} — another racelings process kept it locked for more than 5 s; run the command again`;
    }
    const { why, fix } = describeFileError(error);
    return `progress could not be saved: ${shown} — ${why}; ${fix}, then run the command again`;
  }
}

const serialize = (progress: Progress) => `${JSON.stringify(progress, null, 2)}\n`;
