import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCourse } from '../src/course/course.js';
import { nextPending } from '../src/session/state.js';
import { isSolved, ProgressStore } from '../src/workspace/state.js';
import { whileReadOnly } from './read-only.js';
import { tempDir } from './temp.js';

const course = await loadCourse();
const ids = course.exercises.map((e) => e.id);

async function workspace() {
  const dir = tempDir('state');
  mkdirSync(path.join(dir, '.racelings'));
  await ProgressStore.create({ dir }, course);
  return { dir };
}

const onDisk = (ws: { dir: string }) =>
  JSON.parse(readFileSync(path.join(ws.dir, '.racelings', 'state.json'), 'utf8'));

describe('two racelings processes on one workspace', () => {
  it('keep both exercises marked done', async () => {
    const ws = await workspace();
    const a = await ProgressStore.open(ws, course);
    const b = await ProgressStore.open(ws, course);
    await a.markDone('cache');
    await b.markDone('counter');
    const reopened = await ProgressStore.open(ws, course);
    expect([...reopened.get().done].sort()).toEqual(['cache', 'counter']);
  });

  it('keep the hints the other one counted', async () => {
    const ws = await workspace();
    const watching = await ProgressStore.open(ws, course);
    const other = await ProgressStore.open(ws, course);
    await other.markDone('cache');
    await other.seeHint('transfer', 3);
    // The watching process saw neither change, then records its own pass.
    await watching.markDone('counter', (done) => nextPending(ids, done, 'counter'));
    expect(onDisk(ws)).toMatchObject({ done: ['cache', 'counter'], hints: { transfer: 1 } });
  });

  it('count every hint of many stores at once', async () => {
    const ws = await workspace();
    const stores = await Promise.all([1, 2, 3].map(() => ProgressStore.open(ws, course)));
    await Promise.all(stores.map((s) => s.seeHint('counter', 5)));
    await Promise.all(stores.map((s, i) => s.markDone(ids[i]!)));
    expect(onDisk(ws).hints.counter).toBe(3);
    expect([...onDisk(ws).done].sort()).toEqual(ids.slice(0, 3).sort());
  });

  it('a pending mark of one exercise does not undo another process marking another done', async () => {
    const ws = await workspace();
    const a = await ProgressStore.open(ws, course);
    const b = await ProgressStore.open(ws, course);
    await a.markDone('counter');
    await b.markDone('cache');
    await a.markPending('counter');
    expect(onDisk(ws).done).toEqual(['cache']);
  });

  it('moves past a passed current exercise to the next one not done, on disk', async () => {
    const ws = await workspace();
    const a = await ProgressStore.open(ws, course);
    const b = await ProgressStore.open(ws, course);
    await b.markDone(ids[1]!);
    await a.markDone(ids[0]!, (done) => nextPending(ids, done, ids[0]!));
    expect(onDisk(ws).current).toBe(ids[2]);
    expect(a.get().current).toBe(ids[2]);
  });
});

describe('an exercise passed once', () => {
  it('stays solved when a later save fails, though it is no longer done', async () => {
    const ws = await workspace();
    const store = await ProgressStore.open(ws, course);
    await store.markDone('cache');
    await store.markPending('cache');
    const reopened = (await ProgressStore.open(ws, course)).get();
    expect(reopened.done).not.toContain('cache');
    expect(isSolved(reopened, 'cache')).toBe(true);
    expect(isSolved(reopened, 'counter')).toBe(false);
  });

  it('counts as solved from the done list of a file written before solved existed', async () => {
    const ws = await workspace();
    const file = path.join(ws.dir, '.racelings', 'state.json');
    writeFileSync(file, JSON.stringify({ version: 1, current: 'cache', done: ['counter'], hints: {} }));
    const progress = (await ProgressStore.open(ws, course)).get();
    expect(isSolved(progress, 'counter')).toBe(true);
    expect(onDisk(ws).solved).toBeUndefined();
  });
});

describe('reading progress again after another process wrote it', () => {
  it("shows the other process's changes and keeps this store's unsaved ones on top", async () => {
    const ws = await workspace();
    const tutor = await ProgressStore.open(ws, course);
    const other = await ProgressStore.open(ws, course);
    const unsaved = await whileReadOnly(path.join(ws.dir, '.racelings'), () => tutor.seeHint('counter', 3));
    expect(unsaved.saved).toBe(false);
    await other.markDone('cache');
    await tutor.reload();
    expect(tutor.get()).toMatchObject({ done: ['cache'], hints: { counter: 1 } });
    // The hint not yet saved goes to disk with the next change, beside the other's pass.
    await tutor.markDone('counter');
    expect(onDisk(ws)).toMatchObject({ done: ['cache', 'counter'], hints: { counter: 1 } });
  });
});

describe('a progress file that cannot be written', () => {
  it('is a reported outcome, with why and what to do, and the change is kept in memory', async () => {
    const ws = await workspace();
    const store = await ProgressStore.open(ws, course);
    const outcome = await whileReadOnly(path.join(ws.dir, '.racelings'), () => store.markDone('counter'));
    expect(outcome.saved).toBe(false);
    if (outcome.saved) return;
    expect(outcome.warning).toMatch(/^progress could not be saved: \.racelings\/state\.json/);
    expect(outcome.warning).toMatch(/not writable/);
    expect(store.get().done).toEqual(['counter']);
    expect(onDisk(ws).done).toEqual([]);
    // Once writable again, the next change writes both.
    await store.markDone('cache');
    expect(onDisk(ws).done).toEqual(['counter', 'cache']);
  });

  it('a hint is counted and shown even when it cannot be saved', async () => {
    const ws = await workspace();
    const store = await ProgressStore.open(ws, course);
    const seen = await whileReadOnly(path.join(ws.dir, '.racelings'), () => store.seeHint('counter', 3));
    expect(seen).toMatchObject({ seen: 1, saved: false });
  });
});

describe('a progress file that is not a file', () => {
  it('a folder in its place is set aside and progress starts afresh, with a notice', async () => {
    const ws = { dir: tempDir('state-dir') };
    mkdirSync(path.join(ws.dir, '.racelings', 'state.json'), { recursive: true });
    writeFileSync(path.join(ws.dir, '.racelings', 'state.json', 'inside'), 'x');
    const store = await ProgressStore.open(ws, course);
    expect(store.notice).toMatch(/could not be read; it was kept as \.racelings\/state\.json\.corrupt-/);
    expect(store.get().done).toEqual([]);
    expect((await store.markDone('counter')).saved).toBe(true);
    const kept = readdirSync(path.join(ws.dir, '.racelings')).filter((f) => f.includes('corrupt'));
    expect(readdirSync(path.join(ws.dir, '.racelings', kept[0]!))).toEqual(['inside']);
  });
});
