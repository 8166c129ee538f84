/**
 * Adapters that only send events to a session: saves of the workspace's exercise files (the
 * watcher re-arms itself when the exercises folder is moved away and back, as a git checkout or a
 * sync tool does), changes of the progress file by another racelings, and signals.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { watch } from 'chokidar';
import { type SaveWatcher, watchSaves } from '../workspace/watcher.js';
import { exercisesDir, tutorDir } from '../workspace/workspace.js';
import type { Session } from './session.js';

export type Stop = () => Promise<void>;

/** How often a folder that went away is looked for. */
const REARM_POLL_MS = 250;

export const MANUAL_MESSAGE = 'file changes are not reported here; press c to check (manual mode)';

/**
 * Watch the exercises folder and send `saved`, `file-gone`, `watching` (re-armed) and
 * `watch-failed` (manual mode from then on). Resolves once the first watcher is ready.
 */
export async function watchExercises(session: Session, options: { pollMs?: number } = {}): Promise<Stop> {
  const dir = exercisesDir(session.place.ws);
  let watcher: SaveWatcher | null = null;
  let poll: NodeJS.Timeout | null = null;
  let stopped = false;

  const arm = async (): Promise<void> => {
    const current = watchSaves(dir, {
      onSave: (save) => session.dispatch({ type: 'saved', file: save.file }),
      onGone: (gone) => {
        const watched = session.watchedFile();
        if (watched && (watched === gone || watched.startsWith(`${gone}${path.sep}`))) {
          session.dispatch({ type: 'file-gone', file: watched });
        }
        if (path.resolve(gone) === path.resolve(dir)) rearm();
      },
      onError: () => {
        void current.close();
        if (watcher === current) watcher = null;
        session.dispatch({ type: 'watch-failed', message: MANUAL_MESSAGE });
      },
    });
    watcher = current;
    await current.ready;
  };

  // The folder itself went away (moved, or replaced by a checkout): the watcher follows the old
  // folder, so wait for the path to exist again and watch it afresh.
  const rearm = () => {
    const old = watcher;
    watcher = null;
    void old?.close();
    if (poll) return;
    poll = setInterval(() => {
      if (stopped || !existsSync(dir)) return;
      clearInterval(poll!);
      poll = null;
      arm().then(
        () => {
          if (!stopped) session.dispatch({ type: 'watching' });
        },
        () => session.dispatch({ type: 'watch-failed', message: MANUAL_MESSAGE }),
      );
    }, options.pollMs ?? REARM_POLL_MS);
  };

  await arm();
  return async () => {
    stopped = true;
    if (poll) clearInterval(poll);
    await watcher?.close();
  };
}

/** Send `progress-changed` when the progress file changes on disk (a reset or a check in another shell). */
export async function watchProgress(session: Session): Promise<Stop> {
  const file = path.join(tutorDir(session.place.ws), 'state.json');
  const watcher = watch(path.dirname(file), {
    depth: 0,
    ignoreInitial: true,
    ignored: (entry: string) => entry !== path.dirname(file) && entry !== file,
    awaitWriteFinish: { stabilityThreshold: 50, pollInterval: 25 },
  });
  const changed = () => session.dispatch({ type: 'progress-changed' });
  watcher.on('add', changed);
  watcher.on('change', changed);
  watcher.on('error', () => {});
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  return () => watcher.close();
}

/** A closed terminal or a polite kill leaves like `q`. */
export function onSignals(session: Session, signals: NodeJS.Signals[] = ['SIGTERM', 'SIGHUP']): Stop {
  const handlers = signals.map((signal) => {
    const handler = () => session.dispatch({ type: 'signal', signal });
    process.on(signal, handler);
    return [signal, handler] as const;
  });
  return async () => {
    for (const [signal, handler] of handlers) process.off(signal, handler);
  };
}
