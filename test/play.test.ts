import { spawn } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Grader } from '../src/grader/grader.js';
import { type Move, parseMoves } from '../src/grader/position.js';
import { tempDir } from './temp.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const BIN = path.join(ROOT, 'dist', 'bin.js');
const plainEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('npm_')));

/** The built CLI, run as a learner would; asynchronous so that slow runs do not hold the worker. */
function racelings(
  args: string[],
  cwd: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...plainEnv, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A workspace whose files are the reference solutions: `--original` plays the shipped broken code. */
async function solvedWorkspace(): Promise<string> {
  const parent = tempDir('play');
  const ws = path.join(parent, 'ws');
  expect((await racelings(['init', ws], parent)).code).toBe(0);
  for (const [id, file] of Object.entries(FILES)) {
    copyFileSync(path.join(ROOT, 'solutions', id, file), path.join(ws, 'exercises', id, file));
  }
  return ws;
}

const FILES: Record<string, string> = {
  counter: 'counter.ts',
  cache: 'cache.ts',
  transfer: 'transfer.ts',
  withdraw: 'withdraw.ts',
};

/** Known move lists that break the shipped code of the first workload, and what they break. */
const BREAKS: [id: string, moves: string, invariant: RegExp][] = [
  ['counter', '1 2 1 2 1 2', /an update was lost/],
  ['cache', '1 2', /loader was called for 'a' while a load of 'a' was still in flight/],
  [
    'transfer',
    '1 1 2 2',
    /t1 holds lock\(amy\) and waits for lock\(may\); t2 holds lock\(may\) and waits for lock\(amy\)/,
  ],
  ['withdraw', '1 1 1 2 2 1 2 2', /no order of running the withdrawals one at a time/],
];

const state = (ws: string) => readFileSync(path.join(ws, '.racelings', 'state.json'));
const file = (ws: string, id: string) => readFileSync(path.join(ws, 'exercises', id, FILES[id]!));

describe('racelings play --moves', () => {
  let ws: Promise<string> | null = null;
  const workspace = () => {
    ws ??= solvedWorkspace();
    return ws;
  };

  it.each(BREAKS)(
    '%s: the moves "%s" break the shipped code, and the same moves break nothing in the reference solution',
    async (id, moves, invariant) => {
      const dir = await workspace();
      const shipped = await racelings(['play', id, '--original', '--moves', moves, '--json'], dir);
      expect(shipped.stderr).toBe('');
      expect(shipped.code).toBe(0);
      const broken = JSON.parse(shipped.stdout);
      expect(Object.keys(broken)).toEqual(['id', 'moves', 'schedule', 'invariant', 'finished']);
      expect(broken).toMatchObject({ id, moves, finished: true });
      expect(broken.invariant).toMatch(invariant);
      expect(broken.schedule[0]).toMatchObject({ task: 't1', op: 'call' });

      // The fix takes away the interleaving: the moves play through with nothing broken, or one of
      // them is refused because the fix holds that caller back (never because an invariant broke).
      const solution = await racelings(['play', id, '--moves', moves, '--json'], dir);
      if (solution.code === 0) {
        expect(JSON.parse(solution.stdout).invariant).toBeNull();
      } else {
        expect(solution.code).toBe(2);
        expect(solution.stderr).toMatch(
          /is not possible: (t\d waits|the run ended after move \d+: every caller has settled)/,
        );
      }
    },
    180_000,
  );

  it('refuses a move that is not possible, exit 2, naming the callers that can move', async () => {
    const dir = await workspace();
    const finished = await racelings(['play', 'counter', '--original', '--moves', '1 1 1 1'], dir);
    expect(finished.code).toBe(2);
    expect(finished.stdout).toBe('');
    expect(finished.stderr).toContain("move 4 ('1') is not possible: t1 has finished");
    expect(finished.stderr).toContain('callers that can move: 2');

    const deadlocked = await racelings(['play', 'transfer', '--original', '--moves', '1 1 2 2 1'], dir);
    expect(deadlocked.code).toBe(2);
    expect(deadlocked.stderr).toMatch(
      /move 5 \('1'\) is not possible: the run ended after move 4: t1 holds lock\(amy\)/,
    );
    expect(deadlocked.stderr).toContain('no caller can move');

    const blocked = await racelings(['play', 'transfer', '--original', '--moves', '1 1 2 1 2'], dir);
    expect(blocked.code).toBe(2);
    expect(blocked.stderr).toContain(
      "move 5 ('2') is not possible: t2 waits for lock(may), held by t1 — callers that can move: 1",
    );

    const nonsense = await racelings(['play', 'counter', '--moves', 'one two'], dir);
    expect(nonsense.code).toBe(2);
    expect(nonsense.stderr).toContain('--moves takes caller numbers');
  }, 180_000);

  it('prints the timeline and the verdict as text, with the step count against the explorer', async () => {
    const dir = await workspace();
    const out = await racelings(['play', 'counter', '--original', '--moves', '1 2 1 2 1 2'], dir);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('goal: make a hit get lost');
    expect(out.stdout).toContain('✗ failed');
    expect(out.stdout).toMatch(/▶ 7 +kv\.set\('home', 1\) → ok/);
    expect(out.stdout).toContain("kv 'home' 1");
    expect(out.stdout).toContain("you broke it in 6 moves: as short as the explorer's shortest schedule (6)");
  }, 180_000);

  it("changes neither the learner's file nor their progress", async () => {
    const dir = await workspace();
    const before = { state: state(dir), files: Object.keys(FILES).map((id) => file(dir, id)) };
    await racelings(['play', 'counter', '--moves', '1 2 1 2 1 2'], dir);
    await racelings(['play', 'transfer', '--original', '--moves', '1 1 2 2', '--json'], dir);
    expect(state(dir).equals(before.state)).toBe(true);
    Object.keys(FILES).forEach((id, i) => {
      expect(file(dir, id).equals(before.files[i]!), id).toBe(true);
    });
  }, 180_000);
});

describe('a play position depends on its moves alone (undo and restart are shorter move lists)', () => {
  const grader = new Grader();
  afterAll(() => grader.close());
  const at = (moves: Move[]) =>
    grader.play({
      exercise: 'transfer',
      file: path.join(ROOT, 'exercises', 'transfer', 'transfer.ts'),
      shownAs: 'transfer.ts',
      workload: 0,
      moves,
    });
  const shown = (position: Awaited<ReturnType<typeof at>>) =>
    JSON.stringify({ ...position, verdict: position.verdict && { ...position.verdict, durationMs: 0 } });

  it('gives the same position after any prefix, however it was reached', async () => {
    const all = parseMoves('1 1 2 2')!;
    const start = shown(await at([]));
    for (let k = 0; k <= all.length; k++) {
      const first = shown(await at(all.slice(0, k)));
      // Further, then back: the position of the shorter list is the same.
      if (k < all.length) await at(all.slice(0, k + 1));
      expect(shown(await at(all.slice(0, k)))).toBe(first);
    }
    expect(shown(await at([]))).toBe(start);
    const deadlocked = await at(all);
    expect(deadlocked.finished).toBe(true);
    expect(deadlocked.callers.map((c) => c.note)).toEqual([
      'waits for lock(may), held by t2',
      'waits for lock(amy), held by t1',
    ]);
    expect(deadlocked.callers.map((c) => c.line)).toEqual([26, 26]);
    expect(deadlocked.state).toContainEqual({ label: 'lock(amy)', value: 'held by t1' });
  }, 180_000);
});

describe('every exercise of the course can be played', async () => {
  const { loadCourse } = await import('../src/course/course.js');
  const course = await loadCourse();
  const grader = new Grader();
  afterAll(() => grader.close());

  // The explorer's shortest failing schedule of the shipped code, played as moves, breaks it: play
  // steps every tier (async, worker threads, PostgreSQL) as a grading does.
  it.each(course.exercises.map((e) => [e.id, e.file] as const))(
    '%s: the explorer’s shortest failing schedule, played move by move, breaks the shipped code',
    async (id, name) => {
      const input = { exercise: id, file: path.join(ROOT, 'exercises', id, name), shownAs: name };
      const first = await grader.play({ ...input, workload: 0, moves: [] });
      expect(first.problem).toBeNull();
      expect(first.callers.length).toBeGreaterThan(0);
      for (let workload = 0; workload < first.workload.count; workload++) {
        const known = await grader.explore({ ...input, workload });
        expect(known.problem).toBeNull();
        if (!known.shortest) continue;
        const played = await grader.play({ ...input, workload, moves: known.shortest });
        expect(played.problem).toBeNull();
        expect(played.verdict?.passed).toBe(false);
        expect(played.verdict?.reason).toContain(known.failure!);
        return;
      }
      expect.fail(`no workload of ${id} breaks its shipped code`);
    },
    180_000,
  );
});

describe('a statement blocked in PostgreSQL', () => {
  const grader = new Grader();
  afterAll(() => grader.close());

  it('is shown waiting on its holder, named once, and cannot be chosen', async () => {
    const position = await grader.play({
      exercise: 'job-queue',
      file: path.join(ROOT, 'exercises', 'job-queue', 'jobs.ts'),
      shownAs: 'jobs.ts',
      workload: 0,
      moves: parseMoves('1 2 1 2 1 2')!,
    });
    expect(position.problem).toBeNull();
    const t2 = position.callers[1]!;
    expect(t2.canMove).toBe(false);
    expect(t2.note).toBe("blocked in the database: waits for t1's lock");
  }, 180_000);
});
