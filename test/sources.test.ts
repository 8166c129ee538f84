import { copyFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Stop, watchExercises, watchProgress } from '../src/session/sources.js';
import { exerciseFile, exercisesDir } from '../src/workspace/workspace.js';
import { heldSession } from './ui-fixtures.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const stops: Stop[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

/** Polls until `ready()` holds, for at most `ms`. */
async function until(ready: () => boolean, ms = 10_000) {
  for (const start = Date.now(); !ready() && Date.now() - start < ms; ) {
    await new Promise((r) => setTimeout(r, 50));
  }
  return ready();
}

async function watched() {
  const held = await heldSession({ route: { name: 'exercise', id: 'counter', back: 'quit' } });
  await held.grader.finish();
  stops.push(await watchExercises(held.session, { pollMs: 50 }));
  const file = exerciseFile(held.place.ws, held.session.exercise('counter'));
  /** Save the way vim does: a new file renamed over the old one. */
  const save = (content: string) => {
    const temp = path.join(path.dirname(file), '.counter.ts.tmp');
    writeFileSync(temp, content);
    renameSync(temp, file);
  };
  return { ...held, file, save };
}

describe('watching the exercises (issue 11, point 3: watch must not go deaf)', () => {
  it('grades a save', async () => {
    const { grader, save } = await watched();
    save('// one\n');
    expect(await until(() => grader.pending === 1)).toBe(true);
    expect(grader.read.at(-1)).toBe('// one\n');
  });

  it('re-arms after the exercises folder is moved away and back, and grades the saves after it', async () => {
    const { grader, session, place, save } = await watched();
    const dir = exercisesDir(place.ws);
    const away = path.join(place.ws.dir, 'x');
    renameSync(dir, away);
    expect(await until(() => session.snapshot().open!.missing !== null)).toBe(true);
    renameSync(away, dir);
    // Back: the watcher is armed again and the file, which may have changed meanwhile, is graded.
    expect(await until(() => grader.pending === 1)).toBe(true);
    expect(session.snapshot().manual).toBeNull();
    await grader.finish();
    save('// after the move\n');
    expect(await until(() => grader.pending === 1)).toBe(true);
    expect(grader.read.at(-1)).toBe('// after the move\n');
    expect(session.snapshot().open!.missing).toBeNull();
  });

  it('says the exercise file is missing when it is deleted, and grades it when it is back', async () => {
    const { grader, session, file } = await watched();
    rmSync(file);
    expect(await until(() => session.snapshot().open!.missing !== null)).toBe(true);
    expect(session.snapshot().open!.missing).toContain('counter.ts is missing');
    copyFileSync(path.join(ROOT, 'exercises', 'counter', 'counter.ts'), file);
    expect(await until(() => grader.pending === 1)).toBe(true);
    expect(session.snapshot().open!.missing).toBeNull();
  });
});

describe('watching the progress file (issue 12, point 8: home notices a reset made from another shell)', () => {
  it('reads the progress again when another racelings writes it', async () => {
    const { session, place } = await heldSession();
    stops.push(await watchProgress(session));
    const state = path.join(place.ws.dir, '.racelings', 'state.json');
    const temp = `${state}.other`;
    writeFileSync(
      temp,
      JSON.stringify({ version: 1, current: 'transfer', done: ['counter', 'cache'], hints: {} }),
    );
    renameSync(temp, state);
    expect(await until(() => session.snapshot().done === 2)).toBe(true);
    expect(session.snapshot().current).toBe('transfer');
  });
});
