import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Save, type SaveWatcher, watchSaves } from '../src/workspace/watcher.js';
import { tempDir } from './temp.js';

const open: SaveWatcher[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((w) => w.close()));
});

async function setup() {
  const dir = tempDir('watch');
  mkdirSync(path.join(dir, 'counter'));
  const file = path.join(dir, 'counter', 'counter.ts');
  writeFileSync(file, 'export const version = 0;\n');
  const saves: Save[] = [];
  const watcher = watchSaves(dir, { onSave: (save) => saves.push(save), onError: () => {} });
  open.push(watcher);
  await watcher.ready;
  return { dir, file, saves };
}

/** Waits for `count` saves, then long enough for a duplicate to show up (the write settles in 100 ms). */
async function settle(saves: Save[], count: number) {
  for (let i = 0; i < 200 && saves.length < count; i++) await new Promise((r) => setTimeout(r, 25));
  await new Promise((r) => setTimeout(r, 600));
}

describe('watchSaves', () => {
  it('reports a vim-style save (write a new file, rename it over) once', async () => {
    const { file, saves } = await setup();
    renameSync(file, `${file}~`);
    writeFileSync(`${file}.swp`, 'swap');
    writeFileSync(path.join(path.dirname(file), '4913'), '');
    rmSync(path.join(path.dirname(file), '4913'));
    const temp = path.join(path.dirname(file), '.counter.ts.tmp');
    writeFileSync(temp, 'export const version = 1;\n');
    renameSync(temp, file);
    await settle(saves, 1);
    expect(saves.map((s) => [s.file, s.content])).toEqual([[file, 'export const version = 1;\n']]);
  });

  it('reports a VS Code-style save (written in place) once', async () => {
    const { file, saves } = await setup();
    writeFileSync(file, 'export const version = 2;\n');
    await settle(saves, 1);
    expect(saves.map((s) => s.content)).toEqual(['export const version = 2;\n']);
  });

  it('reports a JetBrains safe write (tmp file, old file moved aside, then renames) once', async () => {
    const { file, saves } = await setup();
    const tmp = `${file}___jb_tmp___`;
    const old = `${file}___jb_old___`;
    writeFileSync(tmp, 'export const version = 3;\n');
    renameSync(file, old);
    renameSync(tmp, file);
    rmSync(old);
    await settle(saves, 1);
    expect(saves.map((s) => [s.file, s.content])).toEqual([[file, 'export const version = 3;\n']]);
  });

  it('stays quiet for a save that did not change the content', async () => {
    const { file, saves } = await setup();
    writeFileSync(file, 'export const version = 0;\n');
    // Spaced past the 100 ms settling time so that the two saves are not merged into one.
    await new Promise((r) => setTimeout(r, 500));
    writeFileSync(file, 'export const version = 6;\n');
    await settle(saves, 1);
    expect(saves.map((s) => s.content)).toEqual(['export const version = 6;\n']);
  });

  it('reports each of two saves in a row', async () => {
    const { file, saves } = await setup();
    writeFileSync(file, 'export const version = 4;\n');
    await settle(saves, 1);
    writeFileSync(file, 'export const version = 5;\n');
    await settle(saves, 2);
    expect(saves.map((s) => s.content)).toEqual([
      'export const version = 4;\n',
      'export const version = 5;\n',
    ]);
  });
});
