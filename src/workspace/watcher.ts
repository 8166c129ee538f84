import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { type FSWatcher, watch } from 'chokidar';

/** A file of the watched folder whose content changed. */
export interface Save {
  file: string;
  content: string;
}

export interface WatchHandlers {
  onSave(save: Save): void;
  /** The watcher stopped working: the caller falls back to manual checks. */
  onError(error: Error): void;
  /** A file or folder under the watched folder (or the folder itself) went away: deleted or moved. */
  onGone?(path: string): void;
}

export interface SaveWatcher {
  /** Resolves once the folder's files are known; saves before that are not reported. */
  ready: Promise<void>;
  close(): Promise<void>;
}

/** Editors' temporary and backup files: JetBrains safe write, vim swap and backup, atomic writers. */
const EDITOR_DEBRIS = /(___jb_(tmp|old|bak)___$|~$|\.sw.$|(^|[/\\])\.[^/\\]*\.tmp$)/;

const hash = (content: string) => createHash('sha1').update(content).digest('hex');

/**
 * Reports each save in `dir` once, whatever the editor's way of saving (vim renames, VS Code writes
 * in place, JetBrains moves temporary files around): wait until the write settles, then compare the
 * file's content with what was last seen and stay quiet when it did not change.
 */
export function watchSaves(dir: string, handlers: WatchHandlers): SaveWatcher {
  const seen = new Map<string, string>();
  let started = false;
  let closed = false;
  const watcher: FSWatcher = watch(dir, {
    ignored: (file: string) => EDITOR_DEBRIS.test(path.basename(file)),
    // A write counts as finished once the file's size held for 30 ms (polled every 10): editors write
    // a source file in one go, and a save seen half-written would be graded again when it completes
    // (the content hash tells). 100/25 held every save ~110 ms before its grading began.
    awaitWriteFinish: { stabilityThreshold: 30, pollInterval: 10 },
  });

  const look = async (file: string) => {
    const report = started;
    let content: string;
    try {
      content = await readFile(file, 'utf8');
    } catch {
      return; // Moved away again before we could read it: the next event tells the rest.
    }
    const digest = hash(content);
    const before = seen.get(file);
    seen.set(file, digest);
    if (report && !closed && before !== digest) handlers.onSave({ file, content });
  };

  // Files found at the start only record their content: they were not saved just now.
  const initial: Promise<void>[] = [];
  const ready = new Promise<void>((resolve) => {
    watcher.on('ready', () => {
      started = true;
      void Promise.all(initial).then(() => resolve());
    });
  });
  watcher.on('add', (file) => {
    const looked = look(file);
    if (!started) initial.push(looked);
  });
  watcher.on('change', (file) => void look(file));
  const gone = (file: string) => {
    // A file that comes back is a save, even with the content it had before it went.
    for (const known of seen.keys())
      if (known === file || known.startsWith(`${file}${path.sep}`)) seen.delete(known);
    if (started && !closed) handlers.onGone?.(file);
  };
  watcher.on('unlink', gone);
  watcher.on('unlinkDir', gone);
  watcher.on('error', (error) => {
    if (!closed) handlers.onError(error instanceof Error ? error : new Error(String(error)));
  });

  return {
    ready,
    close: async () => {
      closed = true;
      await watcher.close();
    },
  };
}
