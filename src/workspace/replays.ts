/**
 * Replay tokens by a short name, kept in the workspace. A token is the whole failing schedule
 * (~150 characters for two callers, thousands for a long livelock): too long for a line of the
 * tutor's screen, which cut it, so that the command it showed could not be pasted. The tutor shows
 * `--replay r1a2b3c4d` instead, and `racelings check ID --replay NAME` finds the token here. A token
 * itself still works anywhere (another workspace, another machine).
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat, utimes } from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { UserError } from '../errors.js';
import { tutorDir, type Workspace } from './workspace.js';

/** How many named tokens a workspace keeps, the newest. */
const KEPT = 200;
/** A name: 'r' and 9 hex digits of the token's SHA-256 (a token is base64url JSON, never this short). */
const NAME = /^r[0-9a-f]{9}$/;

/**
 * One file per token, named by its name: keeping one writes a few hundred bytes (a livelock's
 * token, a few KB), where one file of them all would be read and written whole on every failing
 * grading.
 */
const storeDir = (ws: Workspace) => path.join(tutorDir(ws), 'replays');

/** The short name of `token`: the same token always gets the same name. */
export function replayName(token: string): string {
  return `r${createHash('sha256').update(token).digest('hex').slice(0, 9)}`;
}

/**
 * Keep `token` in the workspace under its name (replayName), as the newest, and forget the oldest
 * past KEPT. Best effort: returns false when it could not be written (the name then finds nothing,
 * and says so).
 */
export async function keepReplay(ws: Workspace, token: string): Promise<boolean> {
  const dir = storeDir(ws);
  const at = path.join(dir, replayName(token));
  try {
    // Kept already: only made the newest again. Every keep stamps the file itself, to the
    // microsecond (a Date has only milliseconds), so that the newest are told apart.
    const now = (performance.timeOrigin + performance.now()) / 1000;
    await utimes(at, now, now).catch(async () => {
      await mkdir(dir, { recursive: true });
      await writeFileAtomic(at, token);
      await utimes(at, now, now);
    });
  } catch {
    return false;
  }
  await forgetOldest(dir).catch(() => {});
  return true;
}

/** Remove the oldest named tokens past KEPT (other files in the folder are left alone). */
async function forgetOldest(dir: string): Promise<void> {
  const names = (await readdir(dir)).filter((name) => NAME.test(name));
  if (names.length <= KEPT) return;
  const kept = await Promise.all(
    names.map(async (name) => ({ name, written: (await stat(path.join(dir, name))).mtimeMs })),
  );
  kept.sort((a, b) => b.written - a.written);
  await Promise.all(kept.slice(KEPT).map(({ name }) => rm(path.join(dir, name), { force: true })));
}

/**
 * The token `given` stands for: the token kept under that name when `given` is a name, else
 * `given` itself (a token, checked when decoded). Throws a UserError for a name this workspace
 * does not hold.
 */
export async function findReplay(ws: Workspace, given: string): Promise<string> {
  if (!NAME.test(given)) return given;
  try {
    return await readFile(path.join(storeDir(ws), given), 'utf8');
  } catch {
    throw new UserError(
      `no replay '${given}' in this workspace`,
      'a name works in the workspace whose tutor showed it; a check from the command line prints the whole token',
    );
  }
}
