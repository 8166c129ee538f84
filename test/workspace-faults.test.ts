import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FILL, onSmallDisk } from './full-disk.js';
import { tempDir } from './temp.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const BIN = path.join(ROOT, 'dist', 'bin.js');

const racelings = (args: string[], cwd: string) =>
  spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });

function workspace(): string {
  const dir = path.join(tempDir('ws-faults'), 'ws');
  expect(racelings(['init', dir], ROOT).status).toBe(0);
  return dir;
}

describe('a full disk', () => {
  it('reset says so, keeps the learner file as it was and leaves no empty backup', () => {
    const ws = workspace();
    writeFileSync(path.join(ws, 'exercises/counter/counter.ts'), '// my attempt\n');
    const out = onSmallDisk(
      `cp -a "${ws}" "$FULL/ws" && ${FILL}
       node "${BIN}" reset counter --workspace "$FULL/ws"; echo "rc=$?"
       echo "empty backups: $(find "$FULL/ws/.racelings" -type f -size 0 | wc -l)"
       echo "file: $(cat "$FULL/ws/exercises/counter/counter.ts")"`,
    );
    expect(out).toContain('rc=2');
    expect(out).toMatch(
      /racelings: could not reset counter: the disk is full \(ENOSPC\); your file is unchanged — free some space/,
    );
    expect(out).toContain('empty backups: 0');
    expect(out).toContain('file: // my attempt');
  });

  it('init says so and leaves no half-made workspace behind', () => {
    const out = onSmallDisk(
      `${FILL}
       node "${BIN}" init "$FULL/new"; echo "rc=$?"
       test -e "$FULL/new" && echo "left: $(find "$FULL/new" | wc -l)" || echo "left: nothing"
       rm "$FULL/fill"; node "${BIN}" init "$FULL/new" >/dev/null; echo "again rc=$?"`,
    );
    expect(out).toContain('rc=2');
    expect(out).toMatch(
      /could not create the workspace in .*: the disk is full \(ENOSPC\); nothing was left there — free some space/,
    );
    expect(out).toContain('left: nothing');
    expect(out).toContain('again rc=0');
  });
});

describe('files that are not what racelings expects', () => {
  it('a folder in place of quiz.json is named, with what to do, not an unexpected error', () => {
    const ws = workspace();
    mkdirSync(path.join(ws, '.racelings/quiz.json'));
    const result = racelings(['quiz', '--stats'], ws);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(
      /^racelings: cannot use .*quiz\.json: a folder where a file should be \(EISDIR\) — move that folder away\n$/,
    );
  });

  it('an installation without an exercise statement says so, and adds nothing half-way', () => {
    const install = tempDir('install');
    for (const part of ['dist', 'content', 'exercises', 'solutions', 'package.json'])
      cpSync(path.join(ROOT, part), path.join(install, part), { recursive: true });
    cpSync(path.join(ROOT, 'node_modules'), path.join(install, 'node_modules'), { recursive: true });
    const ws = workspace();
    rmSync(path.join(ws, 'exercises/cache'), { recursive: true });
    rmSync(path.join(install, 'exercises/cache/README.md'));
    const result = spawnSync(process.execPath, [path.join(install, 'dist/bin.js'), 'list'], {
      cwd: ws,
      encoding: 'utf8',
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      'racelings: this installation of racelings lacks exercises/cache/README.md — reinstall racelings (npm install in its folder)\n',
    );
    expect(() => readFileSync(path.join(ws, 'exercises/cache/cache.ts'))).toThrow();
  });
});

describe('init', () => {
  it('quotes the cd hint of a path with spaces so that it can be pasted', () => {
    const parent = tempDir('init-quote');
    const result = racelings(['init', 'my races'], parent);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("  cd 'my races'\n");
  });
});
