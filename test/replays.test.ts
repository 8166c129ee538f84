import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isUserError } from '../src/errors.js';
import { findReplay, keepReplay, replayName } from '../src/workspace/replays.js';
import { tempDir } from './temp.js';

function workspace() {
  const dir = tempDir('replays');
  mkdirSync(path.join(dir, '.racelings'), { recursive: true });
  return { dir };
}
const token = (i: number) => `WzIsImNvdW50ZXIi${'A'.repeat(40)}${i}`;
const store = (ws: { dir: string }) => path.join(ws.dir, '.racelings', 'replays');

describe('replay tokens by short name', () => {
  it('finds a kept token by its name, and passes a token through as it is', async () => {
    const ws = workspace();
    expect(await keepReplay(ws, token(1))).toBe(true);
    expect(replayName(token(1))).toMatch(/^r[0-9a-f]{9}$/);
    expect(await findReplay(ws, replayName(token(1)))).toBe(token(1));
    expect(await findReplay(ws, token(2))).toBe(token(2));
  });

  it('refuses a name the workspace does not hold, with what to do', async () => {
    const ws = workspace();
    const refused = await findReplay(ws, replayName(token(3))).catch((error: unknown) => error);
    expect(isUserError(refused)).toBe(true);
    expect(String((refused as Error).message)).toContain(`no replay '${replayName(token(3))}'`);
  });

  it('keeps the newest 200, a token kept again counting as new', async () => {
    const ws = workspace();
    for (let i = 0; i < 205; i++) await keepReplay(ws, token(i));
    await keepReplay(ws, token(2));
    const kept = readdirSync(store(ws)).map((name) => readFileSync(path.join(store(ws), name), 'utf8'));
    expect(kept).toHaveLength(200);
    expect(kept).toContain(token(2));
    expect(kept).not.toContain(token(5));
    expect(kept).toContain(token(6));
    expect(kept).toContain(token(204));
    // One still kept, kept again, outlives the next oldest.
    await keepReplay(ws, token(6));
    await keepReplay(ws, token(999));
    const after = readdirSync(store(ws)).map((name) => readFileSync(path.join(store(ws), name), 'utf8'));
    expect(after).toContain(token(6));
    expect(after).not.toContain(token(7));
  });

  it('leaves a file that is not a kept token alone, and never answers with it', async () => {
    const ws = workspace();
    await keepReplay(ws, token(1));
    writeFileSync(path.join(store(ws), 'notes.txt'), 'mine');
    for (let i = 0; i < 201; i++) await keepReplay(ws, token(100 + i));
    expect(readdirSync(store(ws))).toContain('notes.txt');
    await expect(findReplay(ws, 'notes.txt')).resolves.toBe('notes.txt');
  });
});
