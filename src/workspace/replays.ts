/**
 * Replay tokens by a short name, kept in the workspace. A token is the whole failing schedule
 * (~150 characters for two callers, thousands for a long livelock): too long for a line of the
 * tutor's screen, which cut it, so that the command it showed could not be pasted. The tutor shows
 * `--replay r1a2b3c4d` instead, and `racelings check ID --replay NAME` finds the token here. A token
 * itself still works anywhere (another workspace, another machine).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { UserError } from '../errors.js';
import { tutorDir, type Workspace } from './workspace.js';

/** How many named tokens a workspace keeps, the newest. */
const KEPT = 200;
/** A name: 'r' and 9 hex digits of the token's SHA-256 (a token is base64url JSON, never this short). */
const NAME = /^r[0-9a-f]{9}$/;

const storeFile = (ws: Workspace) => path.join(tutorDir(ws), 'replays.json');

/** The short name of `token`: the same token always gets the same name. */
export function replayName(token: string): string {
  return `r${createHash('sha256').update(token).digest('hex').slice(0, 9)}`;
}

/** The workspace's named tokens, oldest first; none when the file is missing or unreadable. */
async function stored(ws: Workspace): Promise<Record<string, string>> {
  try {
    const value: unknown = JSON.parse(await readFile(storeFile(ws), 'utf8'));
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
    return Object.fromEntries(
      Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
    );
  } catch {
    return {};
  }
}

/**
 * Keep `token` in the workspace under its name (replayName), as the newest, and forget the oldest
 * past KEPT. Best effort: returns false when it could not be written (the name then finds nothing,
 * and says so).
 */
export async function keepReplay(ws: Workspace, token: string): Promise<boolean> {
  const name = replayName(token);
  const { [name]: _, ...others } = await stored(ws);
  const kept = Object.entries({ ...others, [name]: token }).slice(-KEPT);
  try {
    await writeFileAtomic(storeFile(ws), `${JSON.stringify(Object.fromEntries(kept))}\n`);
    return true;
  } catch {
    return false;
  }
}

/**
 * The token `given` stands for: the token kept under that name when `given` is a name, else
 * `given` itself (a token, checked when decoded). Throws a UserError for a name this workspace
 * does not hold.
 */
export async function findReplay(ws: Workspace, given: string): Promise<string> {
  if (!NAME.test(given)) return given;
  const token = (await stored(ws))[given];
  if (token === undefined)
    throw new UserError(
      `no replay '${given}' in this workspace`,
      'a name works in the workspace whose tutor showed it; a check from the command line prints the whole token',
    );
  return token;
}
