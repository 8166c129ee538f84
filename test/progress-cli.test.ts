import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { whileReadOnly } from './read-only.js';
import { tempDir } from './temp.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const BIN = path.join(ROOT, 'dist', 'bin.js');
const env = { ...process.env, NO_COLOR: '1' };

const racelings = (args: string[], cwd: string) =>
  spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env });

/** The same, without blocking this process: several run at once. */
function racelingsAsync(args: string[], cwd: string): Promise<number | null> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env, stdio: 'ignore' });
  return new Promise((resolve) => child.once('exit', resolve));
}

function workspace(): string {
  const dir = path.join(tempDir('progress-cli'), 'ws');
  expect(racelings(['init', dir], ROOT).status).toBe(0);
  return dir;
}

const solve = (ws: string, id: string) =>
  copyFileSync(path.join(ROOT, 'solutions', id, `${id}.ts`), path.join(ws, 'exercises', id, `${id}.ts`));

const state = (ws: string) => JSON.parse(readFileSync(path.join(ws, '.racelings', 'state.json'), 'utf8'));

describe('progress that cannot be saved never hides the verdict', () => {
  it('check --json prints the verdict with one note, and exits as the verdict says', async () => {
    const ws = workspace();
    solve(ws, 'counter');
    const result = await whileReadOnly(path.join(ws, '.racelings'), () =>
      racelings(['check', 'counter', '--json'], ws),
    );
    expect(result.status).toBe(0);
    const verdict = JSON.parse(result.stdout);
    expect(verdict.passed).toBe(true);
    // Other notes may stand beside it (what was explored); the warning is said once.
    const warnings = verdict.notes.filter((note: string) => note.startsWith('progress could not be saved'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^progress could not be saved: \.racelings\/state\.json — not writable/);
    expect(result.stderr).not.toContain('unexpected error');
  });

  it('check in plain text shows the verdict, then the warning', async () => {
    const ws = workspace();
    const result = await whileReadOnly(path.join(ws, '.racelings'), () =>
      racelings(['check', 'counter'], ws),
    );
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('✗ failed counter');
    expect(result.stdout.match(/progress could not be saved/g)).toHaveLength(1);
  });

  it('hint shows the hint, then the warning on stderr', async () => {
    const ws = workspace();
    const result = await whileReadOnly(path.join(ws, '.racelings'), () => racelings(['hint', 'counter'], ws));
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('hint 1 of');
    expect(result.stderr).toMatch(/^racelings: progress could not be saved: /);
  });
});

describe('several racelings processes on one workspace', () => {
  it('three checks passing at once leave three exercises done', async () => {
    const ws = workspace();
    const ids = ['counter', 'cache', 'transfer'];
    for (const id of ids) solve(ws, id);
    const codes = await Promise.all(ids.map((id) => racelingsAsync(['check', id], ws)));
    expect(codes).toEqual([0, 0, 0]);
    expect([...state(ws).done].sort()).toEqual([...ids].sort());
  });

  it('three hints asked at once are all counted', async () => {
    const ws = workspace();
    await Promise.all([1, 2, 3].map(() => racelingsAsync(['hint', 'counter'], ws)));
    expect(state(ws).hints.counter).toBe(3);
  });
});
