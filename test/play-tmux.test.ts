import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { tempDir } from './temp.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const BIN = path.join(ROOT, 'dist', 'bin.js');
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const SOCKET = `racelings-play-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
const screen = () => tmux('capture-pane', '-p', '-t', 'play');
const keys = (...k: string[]) => tmux('send-keys', '-t', 'play', ...k);

/** Polls the screen until it shows `text`, for at most `ms`; returns the last screen seen. */
async function waitFor(text: string | RegExp, ms = 60_000): Promise<string> {
  let seen = '';
  for (const start = Date.now(); Date.now() - start < ms; ) {
    seen = screen();
    if (typeof text === 'string' ? seen.includes(text) : text.test(seen)) return seen;
    await new Promise((r) => setTimeout(r, 100));
  }
  return seen;
}

/** The timeline's last row has number `n`: the move before it has been played and drawn. */
const row = (n: number) => new RegExp(`^ {2}${n} {2}`, 'm');

function workspace(): string {
  const ws = path.join(tempDir('play-tmux'), 'ws');
  expect(spawnSync(process.execPath, [BIN, 'init', ws]).status).toBe(0);
  return ws;
}

function start(ws: string, args: string[], columns = 120, rows = 40) {
  const command = `cd ${ws} && env NO_COLOR=1 ${process.execPath} ${BIN} ${args.join(' ')}; echo "racelings exited with $?"; sleep 60`;
  tmux('new-session', '-d', '-s', 'play', '-x', String(columns), '-y', String(rows), command);
}

/** Press each key once the position of the moves before it is on screen. */
async function play(moves: [key: string, shows: string | RegExp][]) {
  for (const [key, shows] of moves) {
    keys(key);
    expect(await waitFor(shows)).toMatch(shows);
  }
}

afterEach(() => {
  if (hasTmux) spawnSync('tmux', ['-L', SOCKET, 'kill-session', '-t', 'play']);
});
afterAll(() => {
  if (hasTmux) spawnSync('tmux', ['-L', SOCKET, 'kill-server']);
});

describe.skipIf(!hasTmux)('playing the scheduler in a real terminal (tmux)', () => {
  it('reaches the lost update in counter with keys alone; undo and restart go back', async () => {
    const ws = workspace();
    const file = path.join(ws, 'exercises', 'counter', 'counter.ts');
    const before = readFileSync(file);
    const state = readFileSync(path.join(ws, '.racelings', 'state.json'));
    start(ws, ['play', 'counter'], 60);
    expect(await waitFor('no step yet')).toContain('goal: make a hit get lost');
    await play([
      ['1', row(1)],
      ['2', row(2)],
      ['1', row(3)],
      ['2', row(4)],
      ['1', row(6)],
      ['2', 'an update was lost'],
    ]);
    const broken = screen();
    expect(broken).toContain('✗ failed');
    expect(broken).toMatch(/▶ 7 +kv\.set\('home', 1\) → ok/);
    expect(broken).toContain("kv 'home' 1");
    expect(await waitFor('you broke it in 6 moves')).toContain("explorer's");
    keys('u');
    const undone = await waitFor(/next: kv\.set\('home', 1\)/);
    expect(undone).not.toContain('✗ failed');
    expect(undone).toMatch(row(6));
    keys('r');
    expect(await waitFor('no step yet')).not.toMatch(row(1));
    keys('q');
    expect(await waitFor('racelings exited with')).toContain('racelings exited with 0');
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(readFileSync(path.join(ws, '.racelings', 'state.json')).equals(state)).toBe(true);
  }, 240_000);

  it('reaches the deadlock in transfer from the exercise screen (p), then comes back to it', async () => {
    const ws = workspace();
    start(ws, ['watch', 'transfer'], 120);
    expect(await waitFor('✗ failed')).toContain('p play');
    keys('p');
    expect(await waitFor('no step yet')).toContain('goal: make the two transfers deadlock');
    await play([
      ['1', row(1)],
      ['1', row(2)],
      ['2', row(3)],
      ['2', 't1 holds lock(amy) and waits for lock(may); t2 holds lock(may) and waits for lock(amy)'],
    ]);
    const deadlocked = screen();
    expect(deadlocked).toContain('⏸ waits for lock(may), held by t2');
    expect(deadlocked).toContain('⏸ waits for lock(amy), held by t1');
    expect(deadlocked).toMatch(/▶ 26 │ const releaseTo = await to\.lock\.acquire\(\);/);
    keys('2');
    expect(await waitFor('the run is over')).toContain('u undoes the last move');
    keys('q');
    expect(await waitFor('e edit')).toContain('transfer — The transfer that deadlocks');
    keys('q');
    expect(await waitFor('racelings exited with')).toContain('racelings exited with 0');
  }, 240_000);
});
