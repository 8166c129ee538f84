import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from './temp.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const BIN = path.join(ROOT, 'dist', 'bin.js');
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const SOCKET = `racelings-test-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
const screen = () => tmux('capture-pane', '-p', '-t', 'tutor');

/** Polls the screen until it shows `text`, for at most `ms`; returns the last screen seen. */
async function waitFor(text: string, ms = 30_000): Promise<string> {
  let seen = '';
  for (const start = Date.now(); Date.now() - start < ms; ) {
    seen = screen();
    if (seen.includes(text)) return seen;
    await new Promise((r) => setTimeout(r, 100));
  }
  return seen;
}

afterAll(() => {
  if (hasTmux) spawnSync('tmux', ['-L', SOCKET, 'kill-server']);
});

describe.skipIf(!hasTmux)(
  'the tutor in a real terminal (tmux; skipped only when tmux is not installed)',
  () => {
    it('opens the counter from home, grades the broken file, then passes the saved fix, and quits cleanly', async () => {
      const ws = path.join(tempDir('tmux'), 'ws');
      expect(spawnSync(process.execPath, [BIN, 'init', ws]).status).toBe(0);
      // CI=true as on a CI runner: a terminal both ways still gets the live screen.
      const command = `env CI=true NO_COLOR=1 ${process.execPath} ${BIN} --workspace ${ws}; echo "racelings exited with $?"; sleep 60`;
      tmux('new-session', '-d', '-s', 'tutor', '-x', '120', '-y', '40', command);

      expect(await waitFor('Enter continue counter')).toMatch(/0 of \d+ exercises done/);
      tmux('send-keys', '-t', 'tutor', 'Enter');
      const failed = await waitFor('✗ failed');
      expect(failed).toContain('counter — The view counter that loses hits');
      expect(failed).toContain("t1 hit('home')");

      const dir = path.join(ws, 'exercises', 'counter');
      copyFileSync(path.join(ROOT, 'solutions', 'counter', 'counter.ts'), path.join(dir, '.counter.ts.tmp'));
      renameSync(path.join(dir, '.counter.ts.tmp'), path.join(dir, 'counter.ts'));
      const passed = await waitFor('✓ passed');
      expect(passed).toContain('✓ passed');
      expect(passed).toContain('n next');

      tmux('send-keys', '-t', 'tutor', 'q');
      expect(await waitFor('next: ')).toMatch(/1 of \d+ exercises done/);
      tmux('send-keys', '-t', 'tutor', 'q');
      expect(await waitFor('racelings exited with')).toContain('racelings exited with 0');
    });
  },
);
