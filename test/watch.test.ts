import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from './temp.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const BIN = path.join(ROOT, 'dist', 'bin.js');
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

function workspace(): string {
  const dir = path.join(tempDir('watch-cli'), 'ws');
  expect(spawnSync(process.execPath, [BIN, 'init', dir]).status).toBe(0);
  return dir;
}

/** Polls until `ready()` holds, for at most `ms`. */
async function until(ready: () => boolean, ms = 30_000) {
  for (const start = Date.now(); !ready() && Date.now() - start < ms; ) {
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('racelings watch --json', () => {
  it('prints one JSON line per grading: at the start and on each save, then exits cleanly on SIGTERM', async () => {
    const ws = workspace();
    const child = spawn(process.execPath, [BIN, 'watch', 'counter', '--json', '--workspace', ws], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let stdout = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    const lines = () => stdout.split('\n').filter(Boolean);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

    await until(() => lines().length >= 1);
    const first = JSON.parse(lines()[0]!);
    expect(first).toMatchObject({ id: 'counter', passed: false });
    expect(typeof first.invariant).toBe('string');
    expect(Number.isNaN(Date.parse(first.at))).toBe(false);

    // Saved the way vim saves: a new file renamed over the old one.
    const file = path.join(ws, 'exercises', 'counter', 'counter.ts');
    const temp = path.join(ws, 'exercises', 'counter', '.counter.ts.tmp');
    copyFileSync(path.join(ROOT, 'solutions', 'counter', 'counter.ts'), temp);
    renameSync(temp, file);
    await until(() => lines().length >= 2);
    const second = JSON.parse(lines()[1]!);
    expect(second).toMatchObject({ id: 'counter', passed: true, invariant: null });

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(lines()).toHaveLength(2);
    for (const line of lines()) expect(() => JSON.parse(line)).not.toThrow();
  });

  it('answers an unknown exercise with one line and exit 2', () => {
    const ws = workspace();
    const result = spawnSync(process.execPath, [BIN, 'watch', 'nope', '--json', '--workspace', ws], {
      encoding: 'utf8',
    });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});
