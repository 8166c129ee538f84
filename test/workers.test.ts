import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Check } from '../src/checks/check.js';
import { CHECKS } from '../src/checks/index.js';
import { DEFAULT_BUDGET } from '../src/explorer/explorer.js';
import { exploreWorkloads } from '../src/explorer/workloads.js';
import { compileLearnerFile } from '../src/sandbox/compile.js';
import { stress, stressWorkers } from '../src/workers/stress.js';
import { liveThreads, Threads } from '../src/workers/threads.js';

/** Start the threads of `exercise`'s check on `source` (the learner's module as text). */
async function open(exercise: string, source: string) {
  const check = CHECKS[exercise]!;
  const compiled = compileLearnerFile(`${exercise}.ts`, source, `${exercise}.ts`);
  expect(compiled.diagnostics).toEqual([]);
  const threads = await Threads.open({
    code: compiled.code!,
    filename: `${exercise}.ts`,
    arrays: check.threads!.arrays,
    threads: Math.max(check.threads!.threads, stressWorkers()),
  });
  return { check, threads };
}

function explore(check: Check, threads: Threads) {
  const instantiate = () => {
    threads.reset();
    return threads as never;
  };
  return exploreWorkloads(check.workloads, (w) => check.scenario(w), instantiate, {
    ...DEFAULT_BUDGET,
    ...check.budget,
  });
}

const file = (path: string) => readFileSync(path, 'utf8');

describe('the workers tier', () => {
  afterEach(() => {
    // Whatever a test did, no worker thread outlives it.
    expect(liveThreads()).toBe(0);
  });

  it('makes `counts[0]++` a read and a write another thread comes between, and shrinks to that schedule', async () => {
    const { check, threads } = await open('shared-counter', file('exercises/shared-counter/counter.ts'));
    try {
      const { failure } = await explore(check, threads);
      expect(failure?.found.failure.message).toMatch(/2 increments ran, but total\(\) answered 1/);
      const steps = failure!.found.run.events.filter((e) => e.op.startsWith('counts['));
      expect(steps.map((e) => [e.task, e.op])).toEqual([
        [0, 'counts[0]'],
        [1, 'counts[0]'],
        [1, 'counts[0] = 1'],
        [0, 'counts[0] = 1'],
      ]);
    } finally {
      await threads.close();
    }
  });

  // Real cores can prove the bug but never promise to: a round in which the machine ran the two
  // threads one after the other (a busy machine does) loses nothing. Five rounds, one must lose.
  it('counts what the stress layer alone sees the shipped counter lose on real cores', async () => {
    const { check, threads } = await open('shared-counter', file('exercises/shared-counter/counter.ts'));
    try {
      const reports: Awaited<ReturnType<typeof stress>>[] = [];
      for (let round = 0; round < 5 && !reports.some((r) => r.anomaly !== null); round++) {
        const report = await stress(threads, check.threads!.stress);
        expect(report.cut).toBe(false);
        reports.push(report);
      }
      expect(reports.find((r) => r.anomaly !== null)?.anomaly).toMatch(/^lost [\d,]+ of [\d,]+ increments$/);
    } finally {
      await threads.close();
    }
  });

  it('stops a thread that spins forever without touching the shared memory, and says so', async () => {
    const spinning = `export function increment(counts: Int32Array, worker: number): void { for (;;) {} }
export function total(counts: Int32Array): number { return 0; }`;
    const { check, threads } = await open('shared-counter', spinning);
    try {
      const { failure } = await explore(check, threads);
      expect(failure?.found.failure.kind).toBe('steps');
      expect(failure?.found.failure.message).toMatch(
        /t1 ran for more than 1 s without touching the shared memory/,
      );
    } finally {
      await threads.close();
    }
  });

  it('cuts a stress run short when a thread spins on a word nobody sets, and terminates every thread', async () => {
    const waitsForever = `export function increment(counts: Int32Array, worker: number): void {
  while (Atomics.load(counts, 15) === 0) {}
}
export function total(counts: Int32Array): number { return 0; }`;
    const { check, threads } = await open('shared-counter', waitsForever);
    const report = await stress(threads, check.threads!.stress, 300);
    expect(report.cut).toBe(true);
    expect(report.anomaly).toBeNull();
    await threads.close();
  });

  it('names the thread asleep in Atomics.wait and the word nothing will notify', async () => {
    const { check, threads } = await open(
      'spin-lock',
      file('test/corpus/spin-lock/wrong-release-without-notify.ts'),
    );
    try {
      const { failure } = await explore(check, threads);
      expect(failure?.found.failure.kind).toBe('stuck');
      expect(failure?.found.failure.message).toMatch(
        /^t2 sleeps forever in Atomics\.wait\(bank, 0, 1\): bank\[0\] is 0, and no thread left running will call Atomics\.notify on it/,
      );
    } finally {
      await threads.close();
    }
  });

  it('shows the ABA schedule of the shipped stack: a pop, then pop, pop, push on another thread, then the stale swap', async () => {
    const { check, threads } = await open('aba-stack', file('exercises/aba-stack/stack.ts'));
    try {
      const { failure } = await explore(check, threads);
      expect(failure?.workload).toEqual({ stack: [1, 2, 3], threads: [['pop'], ['pop', 'pop', 'push']] });
      expect(failure?.found.failure.message).toMatch(
        /This is ABA: t1 read the head as 1 at step \d+; t2 then set it to 2, 3, 1 .*t1's compare-and-swap found 1 again and succeeded/,
      );
    } finally {
      await threads.close();
    }
  });
});
