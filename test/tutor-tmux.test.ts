import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { tempDir } from './temp.js';
import { AFTER_COUNTER } from './ui-fixtures.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const BIN = path.join(ROOT, 'dist', 'bin.js');
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const hasVim = spawnSync('vim', ['--version']).status === 0;
const SOCKET = `racelings-test-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
/** The screen as text; with `escapes`, the colour codes too (capture-pane -e). */
const screen = (escapes = false) => tmux('capture-pane', '-p', ...(escapes ? ['-e'] : []), '-t', 'tutor');
const keys = (...k: string[]) => tmux('send-keys', '-t', 'tutor', ...k);

/** Wait (up to `ms`) until a process whose command line matches `pattern` runs, then a moment more. */
async function running(pattern: string, ms = 30_000): Promise<boolean> {
  for (const start = Date.now(); Date.now() - start < ms; ) {
    if (spawnSync('pgrep', ['-f', pattern]).status === 0) {
      // The editor sets its terminal up after it starts; keys typed then are read, not lost.
      await new Promise((r) => setTimeout(r, 500));
      return true;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/** Polls the screen until it shows `text`, for at most `ms`; returns the last screen seen. */
async function waitFor(text: string | RegExp, ms = 30_000, escapes = false): Promise<string> {
  let seen = '';
  for (const start = Date.now(); Date.now() - start < ms; ) {
    seen = screen(escapes);
    if (typeof text === 'string' ? seen.includes(text) : text.test(seen)) return seen;
    await new Promise((r) => setTimeout(r, 100));
  }
  return seen;
}

function workspace(): string {
  const ws = path.join(tempDir('tmux'), 'ws');
  expect(spawnSync(process.execPath, [BIN, 'init', ws]).status).toBe(0);
  return ws;
}

/** The tutor (or `args`) in a terminal of `columns` × `rows`, with `env` before it. */
function start(ws: string, args: string[], env: string, columns = 120, rows = 40) {
  const command = `cd ${ws} && env ${env} ${process.execPath} ${BIN} ${args.join(' ')}; echo "racelings exited with $?"; sleep 60`;
  tmux('new-session', '-d', '-s', 'tutor', '-x', String(columns), '-y', String(rows), command);
}

afterEach(() => {
  if (hasTmux) spawnSync('tmux', ['-L', SOCKET, 'kill-session', '-t', 'tutor']);
});
afterAll(() => {
  if (hasTmux) spawnSync('tmux', ['-L', SOCKET, 'kill-server']);
});

const ESC = '\u001b[';

describe.skipIf(!hasTmux)(
  'the tutor in a real terminal (tmux; skipped only when tmux is not installed)',
  () => {
    it('opens the counter from home, grades the broken file, then passes the saved fix, and quits cleanly', async () => {
      const ws = workspace();
      // CI=true as on a CI runner: a terminal both ways still gets the live screen.
      start(ws, [], 'CI=true NO_COLOR=1');
      expect(await waitFor('Enter continue counter')).toMatch(/0 of \d+ exercises done/);
      keys('Enter');
      const failed = await waitFor('✗ failed');
      expect(failed).toContain('counter — The view counter that loses hits');
      expect(failed).toContain("t1 hit('home')");
      // NO_COLOR: not one escape code on the screen.
      expect(screen(true)).not.toContain(ESC);

      const dir = path.join(ws, 'exercises', 'counter');
      copyFileSync(path.join(ROOT, 'solutions', 'counter', 'counter.ts'), path.join(dir, '.counter.ts.tmp'));
      renameSync(path.join(dir, '.counter.ts.tmp'), path.join(dir, 'counter.ts'));
      const passed = await waitFor('✓ passed');
      expect(passed).toMatch(/checked \d\d:\d\d:\d\d · save 1/);
      expect(passed).toMatch(/1 of \d+ exercises done/);
      expect(passed).toContain(`n next: ${AFTER_COUNTER.id}`);

      keys('q');
      expect(await waitFor('next: ')).toMatch(/1 of \d+ exercises done/);
      keys('q');
      expect(await waitFor('racelings exited with')).toContain('racelings exited with 0');
    });

    it('draws in colour in a terminal that has it, even with CI set: red for failed, the marked row in yellow (point 3)', async () => {
      const ws = workspace();
      start(ws, ['watch', 'counter'], 'CI=true TERM=xterm-256color');
      const coloured = await waitFor('✗ failed', 30_000, true);
      const line = (text: string) => coloured.split('\n').find((l) => l.includes(text)) ?? '';
      /** Whether an SGR sequence in `text` sets foreground `code` (alone or among other parameters). */
      const sets = (text: string, code: number) =>
        text
          .split(ESC)
          .slice(1)
          .some((sequence) => (sequence.match(/^([0-9;]*)m/)?.[1] ?? '').split(';').includes(String(code)));
      expect(sets(line('✗ failed'), 31)).toBe(true);
      expect(sets(line('▶ '), 33)).toBe(true);
      expect(sets(line('✗ 2 hits'), 31)).toBe(true);
    });

    it.skipIf(!hasVim)(
      'grades a fix saved from vim, opened with e, and comes back to the verdict',
      async () => {
        const ws = workspace();
        start(ws, ['watch', 'counter'], 'NO_COLOR=1 VISUAL=vim');
        await waitFor('✗ failed');
        keys('e');
        const file = path.join(ws, 'exercises', 'counter', 'counter.ts');
        // Type only once vim runs on the file and has drawn it (its message line says the file's
        // lines and bytes): before that, keys reach the tutor or are lost while vim sets up.
        expect(await running(`vim .*${file}`)).toBe(true);
        expect(await waitFor(/\d+L, \d+B/, 30_000)).toMatch(/\d+L, \d+B/);
        const fix = path.join(ROOT, 'solutions', 'counter', 'counter.ts');
        keys(`:%d|r ${fix}|1d|wq`, 'Enter');
        const passed = await waitFor('✓ passed', 40_000);
        // What vim wrote, first: a garbled edit would otherwise read as a failed grading.
        expect(readFileSync(file, 'utf8')).toBe(readFileSync(fix, 'utf8'));
        expect(passed).toContain('✓ passed');
        expect(passed).toContain('counter — The view counter that loses hits');
      },
      // Each wait is bounded on its own; together they may exceed vitest's default on a loaded machine.
      150_000,
    );

    it.each([60, 80, 120])(
      'lays a quiz grid out to fit %i columns, the header cut nowhere (point 6)',
      async (columns) => {
        const ws = workspace();
        start(ws, ['quiz', '--topic', 'designing-races-away'], 'NO_COLOR=1', columns, 30);
        const shown = await waitFor('Enter submits');
        const lines = shown.split('\n');
        expect(shown).toMatch(/racelings quiz · designing-races-away · New \d+ · Learning 0/);
        expect(shown).toMatch(/To review 0/);
        const grid = lines.filter((l) => l.includes('( )'));
        expect(grid).toHaveLength(5);
        for (const row of grid) expect(row.match(/\( \)/g)).toHaveLength(5);
        for (const l of lines) expect(Array.from(l).length).toBeLessThanOrEqual(columns);
        keys('q');
        expect(await waitFor('racelings exited with')).toMatch(/quiz: no card answered · New \d+/);
      },
    );
  },
);
