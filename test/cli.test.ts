import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { replayName } from '../src/workspace/replays.js';
import { tempDir } from './temp.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const BIN = path.join(ROOT, 'dist', 'bin.js');

/** The environment without what npm sets for its own scripts: the tests run the bin as a learner would. */
const plainEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('npm_')));

function racelings(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...plainEnv, NO_COLOR: '1' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function workspace(): string {
  const parent = tempDir('cli');
  const dir = path.join(parent, 'ws');
  expect(racelings(['init', dir], parent).code).toBe(0);
  return dir;
}

const solve = (ws: string, id: string, file: string) =>
  copyFileSync(path.join(ROOT, 'solutions', id, file), path.join(ws, 'exercises', id, file));

describe('racelings init', () => {
  it('creates the exercises, a README, a .gitignore and the progress file', () => {
    const ws = workspace();
    for (const file of [
      'README.md',
      '.gitignore',
      'tsconfig.json',
      '.racelings/state.json',
      'exercises/counter/counter.ts',
      'exercises/counter/README.md',
    ]) {
      expect(existsSync(path.join(ws, file)), file).toBe(true);
    }
    expect(readFileSync(path.join(ws, 'exercises/counter/counter.ts'), 'utf8')).toBe(
      readFileSync(path.join(ROOT, 'exercises/counter/counter.ts'), 'utf8'),
    );
  });

  it('refuses a folder that is not empty, in one line', () => {
    const dir = tempDir('full');
    writeFileSync(path.join(dir, 'notes.txt'), 'mine');
    const result = racelings(['init', dir], dir);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('is not empty');
    expect(readFileSync(path.join(dir, 'notes.txt'), 'utf8')).toBe('mine');
  });
});

describe('racelings check', () => {
  it('fails the shipped exercise with exit 1 and passes the fix with exit 0, recording progress', () => {
    const ws = workspace();
    expect(racelings(['check', 'counter'], ws).code).toBe(1);
    solve(ws, 'counter', 'counter.ts');
    const passed = racelings(['check', 'counter'], ws);
    expect(passed.code).toBe(0);
    expect(passed.stdout).toContain('✓ passed counter');
    const list = JSON.parse(racelings(['list', '--json'], ws).stdout);
    expect(list.find((e: { id: string }) => e.id === 'counter').status).toBe('done');
  });

  it('prints the documented JSON shape, and only JSON', () => {
    const ws = workspace();
    const result = racelings(['check', 'transfer', '--json'], ws);
    expect(result.code).toBe(1);
    const verdict = JSON.parse(result.stdout);
    expect(Object.keys(verdict)).toEqual(
      expect.arrayContaining([
        'id',
        'passed',
        'reason',
        'invariant',
        'schedule',
        'replay',
        'explored',
        'durationMs',
      ]),
    );
    expect(verdict).toMatchObject({ id: 'transfer', passed: false });
    expect(verdict.reason).not.toContain('\n');
    expect(typeof verdict.invariant).toBe('string');
    for (const step of verdict.schedule)
      expect(Object.keys(step).sort()).toEqual(['args', 'op', 'result', 'task']);
  });

  it('grades every exercise with --all --json as an array', () => {
    const ws = workspace();
    const result = racelings(['check', '--all', '--json'], ws);
    expect(result.code).toBe(1);
    const verdicts = JSON.parse(result.stdout);
    const ids = JSON.parse(racelings(['list', '--json'], ws).stdout).map((e: { id: string }) => e.id);
    expect(verdicts.map((v: { id: string }) => v.id)).toEqual(ids);
    expect(verdicts.every((v: { passed: boolean }) => !v.passed)).toBe(true);
  });

  it('gives a null invariant and a file:line reason for code that does not compile', () => {
    const ws = workspace();
    writeFileSync(path.join(ws, 'exercises/counter/counter.ts'), 'export const x: number = "no";\n');
    const verdict = JSON.parse(racelings(['check', 'counter', '--json'], ws).stdout);
    expect(verdict.invariant).toBeNull();
    expect(verdict.reason).toMatch(/does not compile: .*counter\.ts:1:14 /);
  });

  it('replays exactly the schedule of a token', () => {
    const ws = workspace();
    const first = JSON.parse(racelings(['check', 'counter', '--json'], ws).stdout);
    const again = JSON.parse(racelings(['check', 'counter', '--json', '--replay', first.replay], ws).stdout);
    expect(again.schedule).toEqual(first.schedule);
    expect(again.invariant).toBe(first.invariant);
    // By the short name the tutor shows: the check kept the token in the workspace.
    const named = JSON.parse(
      racelings(['check', 'counter', '--json', '--replay', replayName(first.replay)], ws).stdout,
    );
    expect(named.schedule).toEqual(first.schedule);
    const wrong = racelings(['check', 'cache', '--replay', first.replay], ws);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain("that token replays 'counter'");
  });
});

describe('errors a person can meet', () => {
  it.each([
    [['check', 'nope'], "no exercise 'nope'"],
    [['hint', 'nope'], "no exercise 'nope'"],
    [['check', '--frobnicate'], "unknown option '--frobnicate'"],
    [['frobnicate'], "unknown command 'frobnicate'"],
    [['check', 'counter', 'extra'], "too many arguments for 'check'"],
    [['check', 'counter', '--replay', 'garbage'], 'not a replay token'],
    [['check', 'counter', '--replay', 'r012345678'], "no replay 'r012345678' in this workspace"],
    [['list', '--workspace', '/nonexistent/place'], 'is not a racelings workspace'],
  ])('racelings %j exits 2 with one line', (args, message) => {
    const ws = workspace();
    const result = racelings(args, ws);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('reports a database it cannot reach as not graded (exit 2), not as a failed fix', () => {
    const ws = workspace();
    const result = spawnSync(process.execPath, [BIN, 'check', 'withdraw', '--json'], {
      cwd: ws,
      encoding: 'utf8',
      // Port 1 on loopback: nothing listens there.
      env: { ...process.env, NO_COLOR: '1', DATABASE_URL: 'postgres://u:secret@127.0.0.1:1/db' },
    });
    expect(result.status).toBe(2);
    const verdict = JSON.parse(result.stdout);
    expect(verdict.passed).toBe(false);
    expect(verdict.invariant).toBeNull();
    expect(verdict.schedule).toEqual([]);
    expect(verdict.setupProblem).toContain('DATABASE_URL');
    expect(verdict.setupProblem).not.toContain('secret');
  });

  it('says how to get a workspace when there is none', () => {
    const result = racelings(['list'], tempDir('none'));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/'(racelings|node \S+) init DIR'/);
  });
});

describe('hints, solutions and reset', () => {
  it('shows hints one more at a time, each after the ones before', () => {
    const ws = workspace();
    const first = racelings(['hint', 'counter'], ws).stdout;
    expect(first).toContain('hint 1 of 3');
    expect(first).not.toContain('hint 2 of 3');
    const second = racelings(['hint', 'counter'], ws).stdout;
    expect(second).toContain('hint 1 of 3');
    expect(second).toContain('hint 2 of 3');
    racelings(['hint', 'counter'], ws);
    expect(racelings(['hint', 'counter'], ws).stdout).toContain('That was the last hint');
  });

  it('keeps the solution hidden until a pass or --yes', () => {
    const ws = workspace();
    const hidden = racelings(['solution', 'cache'], ws);
    expect(hidden.code).toBe(2);
    expect(hidden.stdout).not.toContain('class LoadingCache');
    expect(racelings(['solution', 'cache', '--yes'], ws).stdout).toContain('class LoadingCache');
    solve(ws, 'cache', 'cache.ts');
    expect(racelings(['check', 'cache'], ws).code).toBe(0);
    expect(racelings(['solution', 'cache'], ws).stdout).toContain('class LoadingCache');
    // A pass is earned for good: a later failing save (or a reset) does not hide the solution again.
    writeFileSync(path.join(ws, 'exercises/cache/cache.ts'), 'export const x: number = "no";\n');
    expect(racelings(['check', 'cache'], ws).code).toBe(1);
    expect(racelings(['solution', 'cache'], ws).stdout).toContain('class LoadingCache');
    expect(racelings(['reset', 'cache'], ws).code).toBe(0);
    expect(racelings(['solution', 'cache'], ws).stdout).toContain('class LoadingCache');
  });

  it('restores the pristine file and statement, and keeps the learner version as a backup', () => {
    const ws = workspace();
    const file = path.join(ws, 'exercises/transfer/transfer.ts');
    writeFileSync(file, '// my attempt\n');
    rmSync(path.join(ws, 'exercises/transfer/README.md'));
    const result = racelings(['reset', 'transfer'], ws);
    expect(result.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(
      readFileSync(path.join(ROOT, 'exercises/transfer/transfer.ts'), 'utf8'),
    );
    const backups = path.join(ws, '.racelings/backups/transfer');
    const [backup] = readdirSync(backups);
    expect(readFileSync(path.join(backups, backup!), 'utf8')).toBe('// my attempt\n');
    expect(readFileSync(path.join(ws, 'exercises/transfer/README.md'), 'utf8')).toBe(
      readFileSync(path.join(ROOT, 'exercises/transfer/README.md'), 'utf8'),
    );
  });
});

describe('a workspace made by an older racelings', () => {
  it('gets the exercises added since, without touching the learner files', () => {
    const ws = workspace();
    writeFileSync(path.join(ws, 'exercises/counter/counter.ts'), '// mine\n');
    rmSync(path.join(ws, 'exercises/cache'), { recursive: true });
    const result = racelings(['list'], ws);
    expect(result.stderr).toContain('new exercises added to this workspace: cache');
    expect(existsSync(path.join(ws, 'exercises/cache/cache.ts'))).toBe(true);
    expect(readFileSync(path.join(ws, 'exercises/counter/counter.ts'), 'utf8')).toBe('// mine\n');
  });
});

describe('progress', () => {
  it('backs up a corrupt progress file, says so, and rebuilds it', () => {
    const ws = workspace();
    writeFileSync(path.join(ws, '.racelings/state.json'), '{ this is not json');
    const result = racelings(['list'], ws);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('could not be read; it was kept as .racelings/state.json.corrupt-');
    const kept = readdirSync(path.join(ws, '.racelings')).find((f) => f.startsWith('state.json.corrupt-'))!;
    expect(readFileSync(path.join(ws, '.racelings', kept), 'utf8')).toBe('{ this is not json');
    expect(JSON.parse(readFileSync(path.join(ws, '.racelings/state.json'), 'utf8')).version).toBe(1);
  });

  it('is written as readable JSON', () => {
    const ws = workspace();
    racelings(['hint', 'cache'], ws);
    const state = JSON.parse(readFileSync(path.join(ws, '.racelings/state.json'), 'utf8'));
    expect(state).toEqual({ version: 1, current: 'counter', done: [], hints: { cache: 1 } });
  });
});

describe('the command line helps (issue 12, point 9)', () => {
  it.each([
    [['chek', 'counter'], "unknown command 'chek' — did you mean check?"],
    [['check', 'countr'], "no exercise 'countr' — did you mean counter?"],
    [['learn', 'deadlock'], "no lesson 'deadlock' — did you mean"],
  ])('racelings %j suggests what was meant, in one line, exit 2', (args, message) => {
    const ws = workspace();
    const result = racelings(args, ws);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('takes the current exercise for hint without an id, as check does', () => {
    const ws = workspace();
    const result = racelings(['hint'], ws);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('hint 1 of 3:');
    expect(JSON.parse(readFileSync(path.join(ws, '.racelings/state.json'), 'utf8')).hints).toEqual({
      counter: 1,
    });
  });

  it('lists the commands in --help under one usage line', () => {
    const result = racelings(['--help'], tempDir('help'));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: racelings [options] [command]\n');
    for (const name of [
      'init',
      'check',
      'watch',
      'list',
      'hint',
      'solution',
      'reset',
      'learn',
      'quiz',
      'lab',
      'doctor',
    ]) {
      expect(result.stdout).toMatch(new RegExp(`\\n  ${name}\\b`));
    }
  });
});

describe('suggestions run where they are printed (issue 12, point 5)', () => {
  /** racelings started the way the learner started it: `npm start` in the clone, or a `racelings` on PATH. */
  function started(how: 'npm start' | 'bin', args: string[], cwd: string) {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    delete env.npm_command;
    delete env.npm_lifecycle_event;
    if (how === 'npm start') {
      env.npm_lifecycle_event = 'start';
      env.npm_package_name = 'racelings';
      return spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env });
    }
    // A `racelings` on PATH, as npm link or a global install of the tarball makes it.
    const bin = path.join(tempDir('path'), 'racelings');
    symlinkSync(BIN, bin);
    env.PATH = `${path.dirname(bin)}${path.delimiter}${env.PATH}`;
    return spawnSync('racelings', args, { cwd, encoding: 'utf8', env });
  }

  it('in a clone, through npm start, says `npm start -- …`', () => {
    const ws = workspace();
    const verdict = started('npm start', ['check', 'counter'], ws);
    expect(verdict.stdout).toContain('stuck? npm start -- hint counter');
    expect(verdict.stdout).toContain('replay: npm start -- check counter --replay ');
    const hints = started('npm start', ['hint', 'counter'], ws);
    expect(hints.stdout).not.toMatch(/(?<!start -- )racelings (hint|check|solution) /);
  });

  it('with the bin on PATH, says `racelings …`, and the suggestion runs as printed', () => {
    const ws = workspace();
    const verdict = started('bin', ['check', 'counter'], ws);
    const stuck = verdict.stdout.match(/stuck\? (racelings hint counter)/);
    expect(stuck).not.toBeNull();
    const [command, ...args] = stuck![1]!.split(' ');
    expect(command).toBe('racelings');
    const again = started('bin', args, ws);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('hint 1 of 3:');
  });
});

describe('one answer to "what is next" (issue 12, point 8)', () => {
  it('the plain summary names the exercise the tutor continues, in the tutor’s order', () => {
    const ws = workspace();
    solve(ws, 'counter', 'counter.ts');
    expect(racelings(['check', 'counter'], ws).code).toBe(0);
    const home = racelings([], ws);
    const order: { id: string; title: string; lesson: string }[] = JSON.parse(
      racelings(['list', '--json'], ws).stdout,
    );
    const next = order[order.findIndex((e) => e.id === 'counter') + 1]!;
    expect(home.stdout).toContain(`next: ${next.id} — ${next.title} · `);
    expect(home.stdout).toContain(`check ${next.id}`);
    const lessons = [...home.stdout.matchAll(/^ {2}([a-z-]+) +\d+\/\d+/gm)].map((m) => m[1]);
    const listed = order.map((e) => e.lesson);
    expect([...new Set(listed)]).toEqual(lessons);
  });
});

describe('doctor', () => {
  it('asks only about the tiers the course has: no Redis warning without a Redis exercise', () => {
    const ws = workspace();
    const tiers = new Set(
      JSON.parse(racelings(['list', '--json'], ws).stdout).map((e: { tier: string }) => e.tier),
    );
    const result = racelings(['doctor', '--json'], ws);
    const names = JSON.parse(result.stdout).map((probe: { name: string }) => probe.name);
    expect(names.includes('Redis')).toBe(tiers.has('redis'));
  });
});
