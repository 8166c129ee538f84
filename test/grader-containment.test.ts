import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Grader } from '../src/grader/grader.js';
import { tempDir } from './temp.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const BIN = path.join(ROOT, 'dist', 'bin.js');
const fixture = (name: string) => path.join(ROOT, 'test', 'fixtures', name);
const solution = path.join(ROOT, 'solutions', 'counter', 'counter.ts');

/** Pids of the processes whose command line is exactly `words` (the fixtures' sleeps). */
function running(...words: string[]): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const argv = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').filter(Boolean);
      if (argv.join(' ') === words.join(' ')) pids.push(Number(name));
    } catch {
      // Gone meanwhile.
    }
  }
  return pids;
}

/** Kill by pid whatever a failing test left behind, so that it cannot spoil the next run. */
const sweep = (...words: string[]) => {
  for (const pid of running(...words)) process.kill(pid, 'SIGKILL');
};

describe('containment of learner code', () => {
  const grader = new Grader();
  afterAll(async () => {
    await grader.close();
    sweep('sleep', '4732');
    sweep('sleep', '4733');
  });
  const grade = (file: string) => grader.grade({ exercise: 'counter', file, shownAs: path.basename(file) });

  it('process.getBuiltinModule keeps to the import allow-list, on the real process too', async () => {
    const verdict = await grade(fixture('builtin-spawn.ts'));
    expect(verdict.passed).toBe(false);
    expect(JSON.stringify(verdict)).toContain("importing 'child_process' is not available here");
    expect(running('sleep', '4732')).toEqual([]);
  });

  it('process.getBuiltinModule cannot read files', async () => {
    const verdict = await grade(fixture('builtin-read.ts'));
    expect(JSON.stringify(verdict)).toContain("importing 'node:fs' is not available here");
    expect(verdict.output.join('\n')).not.toContain('root:');
  });

  it('a detached process started by learner code is killed once the grading is over', async () => {
    await grade(fixture('detached-stray.ts'));
    // The next grading waits for the strays of the last one to be gone.
    expect((await grade(solution)).passed).toBe(true);
    expect(running('sleep', '4733')).toEqual([]);
  });

  it('names a memory blow-up as memory, then grades the next file', async () => {
    const verdict = await grade(fixture('memory.ts'));
    expect(verdict.passed).toBe(false);
    expect(verdict.reason).toMatch(
      /^your code kept allocating memory without giving control back \(\d+ MB more in 3 s\) — a list or map that grows without end\? The checker stopped it\.$/,
    );
    expect((await grade(solution)).passed).toBe(true);
  });
});

describe('a grading that never ends', () => {
  it('is stopped at its deadline even while the grader keeps sending heartbeats', async () => {
    const grader = new Grader({ deadlineMs: 4000 });
    try {
      const verdict = await grader.grade({
        exercise: 'counter',
        file: fixture('busy.ts'),
        shownAs: 'busy.ts',
      });
      expect(verdict.passed).toBe(false);
      expect(verdict.reason).toMatch(
        /^grading took more than 4 s and was stopped — very slow code \(a busy-wait\?\)/,
      );
    } finally {
      await grader.close();
    }
  });

  it('a TMPDIR PostgreSQL cannot use is named at once, instead of a grading that never returns', () => {
    const ws = path.join(tempDir('tmpdir'), 'ws');
    expect(spawnSync(process.execPath, [BIN, 'init', ws]).status).toBe(0);
    const { DATABASE_URL: _, ...inherited } = process.env;
    const env = { ...inherited, TMPDIR: '/proc', NO_COLOR: '1' };
    const result = spawnSync(process.execPath, [BIN, 'check', 'withdraw', '--json', '--workspace', ws], {
      encoding: 'utf8',
      env,
      timeout: 30_000,
    });
    expect(result.status).toBe(2);
    expect(JSON.parse(result.stdout).setupProblem).toBe(
      "The temporary folder /proc cannot hold PostgreSQL's files (ENOENT). — Point TMPDIR to a folder you can write, or set DATABASE_URL.",
    );
  });
});
