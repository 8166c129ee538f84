import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, processesWith } from './census.js';
import { tempDir } from './temp.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const BIN = path.join(ROOT, 'dist', 'bin.js');
const leftovers: number[] = [];
afterEach(() => {
  for (const pid of leftovers.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone.
    }
  }
});

/** Every folder below `dir`, as paths relative to it. */
const folders = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    : [];

describe('the first PostgreSQL start, interrupted', () => {
  it.each(['SIGKILL', 'SIGINT'] as const)(
    'by %s leaves no staging cluster, server folder or process',
    async (signal) => {
      const tmp = tempDir('first-start');
      // As root, PostgreSQL runs as the postgres user, who must be able to pass through to TMPDIR.
      chmodSync(tmp, 0o755);
      const ws = path.join(tempDir('first-start-ws'), 'ws');
      expect(spawnSync(process.execPath, [BIN, 'init', ws]).status).toBe(0);
      const mark = `RACELINGS_TEST_RUN=first-start-${process.pid}-${signal}`;
      const { DATABASE_URL: _, ...inherited } = process.env;
      const check = spawn(process.execPath, [BIN, 'check', 'withdraw', '--workspace', ws], {
        env: { ...inherited, TMPDIR: tmp, [mark.split('=')[0]!]: mark.split('=')[1] },
        stdio: 'ignore',
      });
      const staging = () => folders(tmp).filter((f) => path.basename(f).startsWith('cluster-staging-'));
      await eventually(() => staging().length > 0, 60_000);
      expect(staging()).toHaveLength(1);
      check.kill(signal);
      await eventually(() => processesWith(mark).length === 0, 15_000);
      leftovers.push(...processesWith(mark));
      expect(processesWith(mark)).toEqual([]);
      await eventually(() => staging().length === 0, 5000);
      expect(staging()).toEqual([]);
      expect(folders(tmp).filter((f) => path.basename(f).startsWith('racelings-pg-'))).toEqual([]);
    },
  );
});
