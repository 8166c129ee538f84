import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Grader } from '../src/grader/grader.js';
import { tempDir } from './temp.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const fixture = (name: string) => path.join(ROOT, 'test', 'fixtures', name);
const solution = path.join(ROOT, 'solutions', 'counter', 'counter.ts');

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Polls until `done` holds, for at most `ms`; the assertion after it says what was expected. */
async function eventually(done: () => boolean, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!done() && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
}

describe('contained grading', () => {
  const grader = new Grader();
  afterAll(() => grader.close());
  const grade = (file: string) => grader.grade({ exercise: 'counter', file, shownAs: path.basename(file) });

  it('stops code that loops forever, says so, and grades the next save', async () => {
    const verdict = await grade(fixture('loop.ts'));
    expect(verdict.passed).toBe(false);
    expect(verdict.reason).toMatch(/endless loop/);
    expect(verdict.invariant).toBeNull();
    expect((await grade(solution)).passed).toBe(true);
  });

  it('stops an endless chain of microtasks the same way', async () => {
    const verdict = await grade(fixture('microtask-loop.ts'));
    expect(verdict.reason).toMatch(/endless loop/);
    expect((await grade(solution)).passed).toBe(true);
  });

  it('turns process.exit into a verdict', async () => {
    const verdict = await grade(fixture('exit.ts'));
    expect(verdict.passed).toBe(false);
    expect(verdict.reason).toContain('process.exit(3) was called');
  });

  it('turns process.exit reached through globalThis into a verdict', async () => {
    const verdict = await grade(fixture('global-exit.ts'));
    expect(verdict.passed).toBe(false);
    expect(verdict.reason).toContain('process.exit(4) was called');
  });

  it('survives code that kills the grader process, and restarts it', async () => {
    const verdict = await grade(fixture('kill-self.ts'));
    expect(verdict.passed).toBe(false);
    expect(verdict.reason).toMatch(/grader process was killed by SIGKILL/);
    expect((await grade(solution)).passed).toBe(true);
  });

  it('fails code that leaves a rejection unhandled', async () => {
    const verdict = await grade(fixture('unhandled.ts'));
    expect(verdict.passed).toBe(false);
    expect(verdict.reason).toMatch(/rejected and nothing handled it .*nobody catches me/);
  });

  it('names the unhandled rejection, not the race that the same run goes on to show', async () => {
    // Node reports a rejection once its tick queue is empty: the run must see it before it is judged.
    const verdict = await grade(fixture('unhandled-racy.ts'));
    expect(verdict.reason).toMatch(/rejected and nothing handled it .*nobody catches me/);
  });

  it('reports a module that throws at import', async () => {
    const verdict = await grade(fixture('import-throw.ts'));
    expect(verdict.passed).toBe(false);
    expect(verdict.reason).toMatch(/module failed to load.*config file missing/);
  });

  it('reports a syntax error with file and line', async () => {
    const verdict = await grade(fixture('uncompilable/syntax.ts'));
    expect(verdict.passed).toBe(false);
    expect(verdict.reason).toMatch(/^does not compile: syntax\.ts:2:\d+ /);
    expect(verdict.invariant).toBeNull();
  });

  it('reports a type error with file and line', async () => {
    const verdict = await grade(fixture('uncompilable/type-error.ts'));
    expect(verdict.reason).toMatch(
      /^does not compile: type-error\.ts:8:\d+ Type 'number' is not assignable to type 'string'/,
    );
    expect(verdict.diagnostics.length).toBeGreaterThanOrEqual(1);
  });

  // Content never graded before: not in the compile cache, so it is explored while its type check runs.
  const fresh = (name: string, content: string) => {
    const file = path.join(tempDir('grader-fresh'), name);
    writeFileSync(file, `${content}\n// ${process.pid} ${Date.now()} ${Math.random()}\n`);
    return file;
  };

  it('a type error is the verdict even when the code was explored while the type check ran', async () => {
    const verdict = await grade(
      fresh('typed.ts', readFileSync(fixture('uncompilable/type-error.ts'), 'utf8')),
    );
    expect(verdict.reason).toMatch(
      /^does not compile: typed\.ts:8:\d+ Type 'number' is not assignable to type 'string'/,
    );
    expect(verdict.explored).toBe('nothing');
  });

  it('a type error is the verdict even when the code loops forever before the type check ends', async () => {
    const looping = `${readFileSync(fixture('loop.ts'), 'utf8')}\nexport const wrong: number = 'a string';\n`;
    const verdict = await grade(fresh('looping.ts', looping));
    expect(verdict.reason).toMatch(/^does not compile: looping\.ts:\d+:\d+ Type 'string' is not assignable/);
    expect((await grade(solution)).passed).toBe(true);
  });

  // The README lists them: each must type-check and load, as the reference counter shows.
  it('grades a file that imports each built-in module an exercise may use', async () => {
    const imports = `import assert from 'node:assert';
import { createHash, randomUUID } from 'node:crypto';
import { EventEmitter } from 'events';
import { inspect } from 'node:util';
const seen = new EventEmitter();
`;
    const uses = `  private async increment(page: string): Promise<void> {
    assert.ok(randomUUID().length > 0 && inspect(page).length > 0);
    seen.emit('hit', createHash('sha256').update(page).digest('hex'));`;
    const source = readFileSync(solution, 'utf8').replace(
      '  private async increment(page: string): Promise<void> {',
      uses,
    );
    expect(source).toContain('randomUUID');
    const verdict = await grade(fresh('with-builtins.ts', imports + source));
    expect(verdict.reason).toMatch(/^every invariant held/);
    expect(verdict.passed).toBe(true);
  });

  it('type-checks with the JavaScript compiler where the native one cannot answer (RACELINGS_NATIVE_TSC=0)', async () => {
    process.env.RACELINGS_NATIVE_TSC = '0';
    const javascriptOnly = new Grader();
    try {
      const typed = readFileSync(fixture('uncompilable/type-error.ts'), 'utf8');
      const verdict = await javascriptOnly.grade({
        exercise: 'counter',
        file: fresh('js-typed.ts', typed),
        shownAs: 'js-typed.ts',
      });
      expect(verdict.reason).toMatch(
        /^does not compile: js-typed\.ts:8:\d+ Type 'number' is not assignable to type 'string'/,
      );
      const right = await javascriptOnly.grade({
        exercise: 'counter',
        file: fresh('js-right.ts', readFileSync(solution, 'utf8')),
        shownAs: 'js-right.ts',
      });
      expect(right.passed).toBe(true);
    } finally {
      delete process.env.RACELINGS_NATIVE_TSC;
      await javascriptOnly.close();
    }
  });

  it('code that type-checks and loops forever is stopped as a loop, whatever its type check was doing', async () => {
    const verdict = await grade(fresh('loop.ts', readFileSync(fixture('loop.ts'), 'utf8')));
    expect(verdict.reason).toMatch(/endless loop/);
  });

  it("shows what the learner's console.log printed in the failing schedule", async () => {
    const verdict = await grade(fixture('logs.ts'));
    expect(verdict.passed).toBe(false);
    // Two hits read the same count in the lost update, and each logged it once.
    expect(verdict.output).toEqual(['read 0 for home', 'read 0 for home']);
  });
});

describe('replay tokens', () => {
  const grader = new Grader();
  afterAll(() => grader.close());
  const shipped = path.join(ROOT, 'exercises', 'counter', 'counter.ts');
  const replay = (file: string, token: string) =>
    grader.grade({ exercise: 'counter', file, shownAs: path.basename(file), replay: token });
  const forge = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

  it('replays the failing schedule of a verdict, on the workload it names', async () => {
    const first = await grader.grade({ exercise: 'counter', file: shipped, shownAs: 'counter.ts' });
    const again = await replay(shipped, first.replay!);
    expect(again.passed).toBe(false);
    expect(again.schedule).toEqual(first.schedule);
    expect(again.workload).toBe(first.workload);
  });

  it('refuses a token that is not a schedule of this check, and never passes on one', async () => {
    const first = await grader.grade({ exercise: 'counter', file: shipped, shownAs: 'counter.ts' });
    const [format, , version, workload, labels] = JSON.parse(
      Buffer.from(first.replay!, 'base64url').toString(),
    );
    const tokens = [
      forge([format, 'counter', version, workload, [{ t: 7, o: 0 }, ...labels]]),
      forge([format, 'counter', version, workload, labels.slice(0, 2)]),
      forge([format, 'counter', version, { calls: [{ op: 'hit', page: 'nowhere' }] }, labels]),
      forge([format, 'counter', version + 1, workload, labels]),
      forge([format, 'cache', version, workload, labels]),
    ];
    for (const token of tokens) {
      const verdict = await replay(shipped, token);
      expect(verdict.passed, verdict.reason).toBe(false);
      expect(verdict.setupProblem, verdict.reason).toMatch(/this token|schedule of this token/);
    }
    // The right schedule on code that has been fixed since no longer fits: said, not passed.
    const onFixed = await replay(solution, first.replay!);
    expect(onFixed.passed).toBe(false);
    expect(onFixed.setupProblem).toMatch(/does not fit counter as your code is now/);
  });
});

describe('the grader process dies with its parent', () => {
  /**
   * A parent that starts a grader (grading `file` when given), prints its pid after `afterMs`, and
   * waits to be killed.
   */
  function parentWithGrader(file?: string, afterMs = 300): Promise<{ parent: number; grader: number }> {
    const script = `
      const { Grader } = await import(${JSON.stringify(path.join(ROOT, 'dist', 'grader', 'grader.js'))});
      const grader = new Grader();
      grader.warm();
      ${file ? `grader.grade({ exercise: 'counter', file: ${JSON.stringify(file)}, shownAs: 'x' });` : ''}
      setTimeout(() => console.log(grader.pid), ${afterMs});
      setInterval(() => {}, 1000);
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    return new Promise((resolve, reject) => {
      child.stdout.once('data', (data: Buffer) =>
        resolve({ parent: child.pid!, grader: Number(String(data).trim()) }),
      );
      // Said at once, not after the test's timeout (its stderr is this one's).
      child.once('exit', (code, signal) =>
        reject(
          new Error(`the parent exited (${signal ?? `code ${code}`}) before it printed the grader's pid`),
        ),
      );
    });
  }

  it('when the parent is killed with SIGKILL', async () => {
    const { parent, grader } = await parentWithGrader();
    expect(alive(grader)).toBe(true);
    process.kill(parent, 'SIGKILL');
    await eventually(() => !alive(grader), 5000);
    expect(alive(grader)).toBe(false);
  });

  // Spinning, its main thread never notices the parent go. The parent is killed 2.5 s in: after the
  // spinning began (~1.4 s in here), before the parent's own loop timeout (LOOP_TIMEOUT_MS after
  // the spinning began) would have ended it.
  it('even while learner code spins in it', async () => {
    const { parent, grader } = await parentWithGrader(fixture('loop.ts'), 2500);
    process.kill(parent, 'SIGKILL');
    await eventually(() => !alive(grader), 2500);
    expect(alive(grader)).toBe(false);
  });
});
