import { describe, expect, it } from 'vitest';
import { explore } from '../src/explorer/explorer.js';
import { decodeReplay, encodeReplay } from '../src/explorer/replay.js';
import { follow, runSchedule, ScheduleMismatch, strictly } from '../src/explorer/run.js';
import type { Scenario } from '../src/explorer/scenario.js';
import type { World } from '../src/explorer/world.js';
import { learner } from './learner.js';

type Counter = { hit(key?: string): Promise<void> };
type Module = { make(kv: KV): Counter };
interface KV {
  get(key?: string): Promise<number>;
  set(n: number, key?: string): Promise<void>;
}

/** A store of counts by key; reads and writes take effect when the explorer releases them. */
function store(world: World) {
  const data = new Map<string, number>();
  const kv: KV = {
    get: (key = 'k') =>
      world.op('get', [key], () => data.get(key) ?? 0, { touches: [{ object: 'kv', key, write: false }] }),
    set: (n, key = 'k') =>
      world.op(
        'set',
        [n, key],
        () => {
          data.set(key, n);
        },
        { touches: [{ object: 'kv', key, write: true }] },
      ),
  };
  return { kv, data };
}

/** Hits of `keys` on a counter built by the module; each key's stored count must equal its hits. */
function hits(keys: string[], maxFailures = 0, alike = false): Scenario<Module> {
  return {
    name: `hits of ${keys.join(', ')}`,
    maxFailures,
    setup(world, mod) {
      const { kv, data } = store(world);
      const counter = mod.make(kv);
      return {
        tasks: keys.map((key, i) => ({
          label: `t${i + 1} hit(${key})`,
          ...(alike ? { alike: key } : {}),
          run: () => counter.hit(key),
          realTime: { arrive: [], settle: [] },
        })),
        check: () => {
          for (const key of new Set(keys)) {
            const want = keys.filter((k) => k === key).length;
            if ((data.get(key) ?? 0) !== want)
              return `stored ${data.get(key) ?? 0} for ${key}, expected ${want}`;
          }
          return null;
        },
      };
    },
  };
}

const racy = learner<Module>(`
  export function make(kv: any) {
    return { async hit(key: string) { await kv.set((await kv.get(key)) + 1, key); } };
  }
`);

const chained = learner<Module>(`
  export function make(kv: any) {
    let tail: Promise<void> = Promise.resolve();
    return {
      hit(key: string) {
        const run = tail.then(async () => kv.set((await kv.get(key)) + 1, key));
        tail = run.catch(() => {});
        return run;
      },
    };
  }
`);

/** A lock per key: hits of different keys touch nothing in common. */
const perKey = learner<Module>(`
  export function make(kv: any) {
    const tails = new Map<string, Promise<void>>();
    return {
      hit(key: string) {
        const run = (tails.get(key) ?? Promise.resolve()).then(async () => kv.set((await kv.get(key)) + 1, key));
        tails.set(key, run.catch(() => {}));
        return run;
      },
    };
  }
`);

type Loader = { make(load: () => Promise<number>): { get(): Promise<number> } };

/** `n` gets of one loading cache: the loader must run once. `alike`: the gets are interchangeable. */
function gets(n: number, alike = false): Scenario<Loader> {
  return {
    name: `${n} gets`,
    setup(world, mod) {
      let loads = 0;
      const cache = mod.make(() => {
        loads++;
        return world.op('load', [], () => 1, { touches: [{ object: 'loader', key: 'k', write: true }] });
      });
      return {
        tasks: Array.from({ length: n }, (_, i) => ({
          label: `t${i + 1} get`,
          ...(alike ? { alike: 'get' } : {}),
          run: () => cache.get(),
        })),
        check: () => (loads === 1 ? null : `${loads} loads`),
      };
    },
  };
}

describe('explorer', () => {
  it('finds a lost update and shrinks it to the shortest interleaving', async () => {
    const { found } = await explore(hits(['k', 'k']), racy);
    expect(found?.failure).toEqual({ kind: 'invariant', message: 'stored 1 for k, expected 2' });
    // Both reads must come before either write: 2 arrivals and 4 releases, nothing more.
    expect(found?.run.labels).toHaveLength(6);
    const ops = found!.run.events.filter((e) => e.op === 'get' || e.op === 'set').map((e) => e.op);
    expect(ops).toEqual(['get', 'get', 'set', 'set']);
  });

  it('passes a correct fix only after exploring every distinct interleaving, and says how many', async () => {
    const { found, coverage } = await explore(hits(['k', 'k', 'k']), chained);
    expect(found).toBeNull();
    expect(coverage.exhaustive).toBe(true);
    expect(coverage.interleavings).toBeGreaterThan(1);
  });

  it('gives the same failing schedule on every run', async () => {
    const runs = await Promise.all([1, 2, 3].map(() => explore(hits(['k', 'k']), racy)));
    const schedules = runs.map((r) => JSON.stringify(r.found?.run.labels));
    expect(new Set(schedules).size).toBe(1);
  });

  it('replays a schedule from its token, and refuses one that does not fit', async () => {
    const { found } = await explore(hits(['k', 'k']), racy);
    const token = encodeReplay({
      exercise: 'x',
      version: 1,
      workload: ['k', 'k'],
      labels: found!.run.labels,
    });
    const point = decodeReplay(token)!;
    expect(point.workload).toEqual(['k', 'k']);
    const again = await runSchedule(hits(['k', 'k']), racy, strictly(point.labels));
    expect(again.failure).toEqual(found!.failure);
    expect(again.events).toEqual(found!.run.events);
    expect(decodeReplay('not-a-token')).toBeNull();
    // The same steps on code that takes a lock first: the fourth step is not there to take.
    await expect(runSchedule(hits(['k', 'k']), chained, strictly(point.labels))).rejects.toThrow(
      ScheduleMismatch,
    );
    const forged = Buffer.from(JSON.stringify([2, 'x', 1, [], [{ t: 99, o: 0 }]])).toString('base64url');
    expect(decodeReplay(forged)).toBeNull();
  });

  it('names the cycle of a deadlock', async () => {
    const scenario: Scenario<null> = {
      name: 'opposite order',
      setup(world) {
        const a = world.lock('lock(a)');
        const b = world.lock('lock(b)');
        const both = async (first: typeof a, second: typeof a) => {
          const releaseFirst = await first.acquire();
          const releaseSecond = await second.acquire();
          releaseSecond();
          releaseFirst();
        };
        return {
          tasks: [
            { label: 't1 ab', run: () => both(a, b) },
            { label: 't2 ba', run: () => both(b, a) },
          ],
          check: () => null,
        };
      },
    };
    const { found } = await explore(scenario, () => null);
    expect(found?.failure.kind).toBe('deadlock');
    expect(found?.failure.message).toMatch(
      /t\d holds lock\(\w\) and waits for lock\(\w\); t\d holds lock\(\w\) and waits for lock\(\w\)/,
    );
  });

  it('reports a lock still held after its task ended as a leak', async () => {
    const scenario: Scenario<null> = {
      name: 'forgets to release',
      setup(world) {
        const lock = world.lock('lock(a)');
        return { tasks: [{ label: 't1 take', run: () => lock.acquire() }], check: () => null };
      },
    };
    const { found } = await explore(scenario, () => null);
    expect(found?.failure.kind).toBe('leak');
    expect(found?.failure.message).toContain('lock(a) is still held by t1');
  });

  it('reports a task waiting on a promise nothing resolves as stuck, never as a pass', async () => {
    const scenario: Scenario<null> = {
      name: 'waits forever',
      setup() {
        return { tasks: [{ label: 't1 wait', run: () => new Promise(() => {}) }], check: () => null };
      },
    };
    const { found } = await explore(scenario, () => null);
    expect(found?.failure.kind).toBe('stuck');
    expect(found?.failure.message).toContain('t1 never finished');
  });

  it('lets a newcomer slip between an unlock and the waiter it woke, without being told to', async () => {
    // A mutex whose woken waiter does not re-check: only a newcomer in the same turn exposes it.
    const barging = learner<Module>(`
      export function make(kv: any) {
        let locked = false;
        const waiters: (() => void)[] = [];
        const lock = async () => {
          if (locked) await new Promise<void>((r) => waiters.push(r));
          locked = true;
        };
        const unlock = () => {
          locked = false;
          waiters.shift()?.();
        };
        return {
          async hit(key: string) {
            await lock();
            try {
              await kv.set((await kv.get(key)) + 1, key);
            } finally {
              unlock();
            }
          },
        };
      }
    `);
    const { found } = await explore(hits(['k', 'k', 'k']), barging);
    expect(found?.failure.message).toBe('stored 2 for k, expected 3');
    expect(found?.run.labels.some((label) => label.n !== undefined && (label.h ?? 0) > 0)).toBe(true);
  });

  it('starts two callers in one synchronous turn: a guard set one await after its test fails', async () => {
    // A single-flight loader whose in-flight registration comes after an await that touches no
    // port (await this.ready()): only callers started together both miss.
    const late = learner<Loader>(`
      export function make(load: () => Promise<number>) {
        let inFlight: Promise<number> | null = null;
        const ready = async () => {};
        return {
          async get() {
            if (inFlight) return inFlight;
            await ready();
            inFlight = load();
            return inFlight;
          },
        };
      }
    `);
    const { found } = await explore(gets(2), late);
    expect(found?.failure.message).toBe('2 loads');
    expect(found?.run.labels[0]).toMatchObject({ n: expect.any(Number), h: 0 });
  });

  it('runs hits of different keys once whatever their order: reduction, with every interleaving covered', async () => {
    const workload = hits(['a', 'b', 'a', 'b']);
    const reduced = await explore(workload, perKey);
    expect(reduced.found).toBeNull();
    expect(reduced.coverage.exhaustive).toBe(true);
    // Without reduction, 20 times the schedules do not cover every interleaving.
    const budget = reduced.coverage.schedules * 20;
    const full = await explore(
      workload,
      perKey,
      { maxSchedules: 0, boundedSchedules: budget, random: 0, seed: 1 },
      {
        reduction: false,
      },
    );
    expect(full.found).toBeNull();
    expect(full.coverage.exhaustive).toBe(false);
    // A bug that needs the keys to interact is still found with reduction on.
    const shared = learner<Module>(`
      export function make(kv: any) {
        let busy = false;
        return {
          async hit(key: string) {
            if (busy) return;
            busy = true;
            await kv.set((await kv.get(key)) + 1, key);
            busy = false;
          },
        };
      }
    `);
    expect((await explore(workload, shared)).found?.failure.kind).toBe('invariant');
  });

  it('lets alike callers arrive in one order only: fewer schedules, the same verdicts', async () => {
    const keys = ['a', 'a', 'a', 'b'];
    const dporOnly = await explore(hits(keys, 0, true), chained, undefined, { symmetry: false });
    const symmetric = await explore(hits(keys, 0, true), chained);
    expect(dporOnly.found).toBeNull();
    expect(symmetric.found).toBeNull();
    expect(symmetric.coverage).toMatchObject({ exhaustive: true, alike: true });
    expect(symmetric.coverage.schedules * 3).toBeLessThan(dporOnly.coverage.schedules);
    // Without `alike`, every caller is its own.
    expect((await explore(hits(keys), chained)).coverage).toMatchObject({
      alike: false,
      schedules: dporOnly.coverage.schedules,
    });
    for (const wrong of [racy, perKey]) {
      const lost = await explore(hits(['a', 'a', 'a'], 1, true), wrong);
      if (wrong === racy) expect(lost.found?.failure.message).toMatch(/stored \d for a, expected 3/);
      else expect(lost.found).toBeNull();
    }
  });

  it("still starts an alike caller inside its twin's synchronous turn", async () => {
    const late = learner<Loader>(`
      export function make(load: () => Promise<number>) {
        let inFlight: Promise<number> | null = null;
        return {
          async get() {
            if (inFlight) return inFlight;
            await null;
            inFlight = load();
            return inFlight;
          },
        };
      }
    `);
    for (const n of [2, 3]) {
      const { found } = await explore(gets(n, true), late);
      expect(found?.failure.message).toMatch(/^[23] loads$/);
      expect(found?.run.labels[0]).toMatchObject({ a: 0, n: 1, h: 0 });
    }
  });

  it("counts what the learner's process.nextTick callbacks do as part of the step that queued them", async () => {
    const ticking = (body: string) =>
      learner<Module>(`
        const later = () => new Promise<void>((resolve) => process.nextTick(resolve));
        export function make(kv: any) {
          let tail: Promise<void> = Promise.resolve();
          ${body}
        }
      `);
    const racyTicks = ticking(
      'return { async hit(key: string) { await later(); const n = await kv.get(key); await later(); await kv.set(n + 1, key); } };',
    );
    const chainedTicks = ticking(`return {
      hit(key: string) {
        const run = tail.then(async () => { await later(); const n = await kv.get(key); await later(); await kv.set(n + 1, key); });
        tail = run.catch(() => {});
        return run;
      },
    };`);
    const racyPlain = await explore(hits(['a', 'a']), racy);
    const found = await explore(hits(['a', 'a']), racyTicks);
    expect(found.found?.failure.message).toBe(racyPlain.found?.failure.message);
    expect(found.found?.run.labels).toEqual(racyPlain.found?.run.labels);
    const passed = await explore(hits(['a', 'a', 'b']), chainedTicks);
    expect(passed.found).toBeNull();
    expect(passed.coverage.exhaustive).toBe(true);
  });

  it('makes every fallible operation fail in some explored run', async () => {
    const failing = new Set<string>();
    const scenario: Scenario<Module> = {
      ...hits(['k', 'k']),
      maxFailures: 1,
      setup(world, mod) {
        const { kv } = store(world);
        const fallible: KV = {
          get: (key = 'k') =>
            world.op('get', [key], () => 0, {
              fallible: true,
              touches: [{ object: 'kv', key, write: false }],
            }),
          set: kv.set,
        };
        const counter = mod.make(fallible);
        return {
          tasks: ['t1', 't2'].map((t) => ({
            label: `${t} hit`,
            run: () => counter.hit('k').catch(() => {}),
          })),
          check: () => null,
        };
      },
    };
    const { coverage } = await explore(scenario, chained, undefined, {
      onRun: (run) => {
        for (const [i, label] of run.labels.entries())
          if (!('a' in label) && label.f) failing.add(`${run.events[i]?.task}`);
      },
    });
    expect(coverage.exhaustive).toBe(true);
    expect(failing.size).toBeGreaterThan(0);
  });
});

describe('crashes', () => {
  it('lets an operation kill its caller mid-way: a crashed task takes no more steps and is not stuck', async () => {
    type Worker = {
      make(port: { claim(): Promise<number>; finish(job: number): Promise<void> }): { work(): Promise<void> };
    };
    const worker = learner<Worker>(`
      export function make(port: { claim(): Promise<number>; finish(job: number): Promise<void> }) {
        return { async work() { const job = await port.claim(); await port.finish(job); } };
      }
    `);
    const cleaned: number[] = [];
    const scenario: Scenario<Worker> = {
      name: 'a worker that may die',
      maxFailures: 1,
      setup(world, mod) {
        const finished: number[] = [];
        const port = {
          claim: () =>
            world.op('claim', [], () => 1, {
              fallible: true,
              failure: 'crashes',
              onCrash: () => void cleaned.push(world.task()),
            }),
          finish: (job: number) => world.op('finish', [job], () => void finished.push(job)),
        };
        const w = mod.make(port);
        return {
          tasks: [{ label: 't1 work', run: () => w.work() }],
          check: (outcomes) =>
            outcomes[0]!.status === 'crashed' && finished.length === 0 ? 'crashed' : null,
        };
      },
    };
    const { found } = await explore(scenario, worker);
    expect(found?.failure.message).toBe('crashed');
    expect(found?.run.events.map((e) => e.op)).toContain('crash');
    expect(cleaned.length).toBeGreaterThan(0);
  });

  it('lets learner code import AsyncLocalStorage and compile against ES2023', async () => {
    const confined = learner<{ run(): Promise<unknown> }>(`
      import { AsyncLocalStorage } from 'node:async_hooks';
      const store = new AsyncLocalStorage<string>();
      export async function run() {
        const seen = await Promise.all(['a', 'b'].map((user) => store.run(user, async () => {
          await null;
          return store.getStore();
        })));
        return [seen, [3, 1, 2].toSorted(), [1, 2, 3].findLast((n) => n < 3)];
      }
    `);
    const scenario: Scenario<{ run(): Promise<unknown> }> = {
      name: 'one call',
      setup: (_world, mod) => ({ tasks: [{ label: 't1 run', run: () => mod.run() }], check: () => null }),
    };
    const run = await runSchedule(scenario, confined, (_s, _a, fallback) => fallback);
    expect(run.failure).toBeNull();
    expect(run.outcomes[0]!.value).toEqual([['a', 'b'], [1, 2, 3], 2]);
  });
});

describe('virtual time', () => {
  const timed = (source: string) => learner<Module>(source);

  it('lets a retry with backoff and jitter run, on the explorer clock', async () => {
    const backoff = timed(`
      export function make(kv: any) {
        let tail: Promise<void> = Promise.resolve();
        const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
        return {
          hit(key: string) {
            const run = tail.then(async () => {
              for (let attempt = 0; ; attempt++) {
                try {
                  return await kv.set((await kv.get(key)) + 1, key);
                } catch {
                  await sleep(2 ** attempt * 10 + Math.random() * 5);
                }
              }
            });
            tail = run.catch(() => {});
            return run;
          },
        };
      }
    `);
    const scenario: Scenario<Module> = {
      ...hits(['k', 'k']),
      maxFailures: 1,
      setup(world, mod) {
        const { kv, data } = store(world);
        const flaky: KV = {
          get: kv.get,
          set: (n, key = 'k') =>
            world.op('set', [n, key], () => void data.set(key, n), {
              fallible: true,
              touches: [{ object: 'kv', key, write: true }],
            }),
        };
        const counter = mod.make(flaky);
        return {
          tasks: ['t1', 't2'].map((t) => ({ label: `${t} hit`, run: () => counter.hit('k') })),
          check: () => (data.get('k') === 2 ? null : `stored ${data.get('k')}`),
        };
      },
    };
    const { found, coverage } = await explore(scenario, backoff);
    expect(found).toBeNull();
    expect(coverage.exhaustive).toBe(true);
  });

  it('fails a sleep that hopes the other caller has finished, showing the schedule where it has not', async () => {
    const hopeful = timed(`
      export function make(kv: any) {
        let first = true;
        return {
          async hit(key: string) {
            if (!first) await new Promise((r) => setTimeout(r, 50));
            first = false;
            await kv.set((await kv.get(key)) + 1, key);
          },
        };
      }
    `);
    const { found } = await explore(hits(['k', 'k']), hopeful);
    expect(found?.failure.message).toBe('stored 1 for k, expected 2');
    expect(found?.run.events.some((e) => e.op === 'setTimeout' && e.result.startsWith('fires'))).toBe(true);
  });

  it('answers Date.now from the virtual clock, the same in every run', async () => {
    const clock = timed(`
      export function make(kv: any) {
        return {
          async hit(key: string) {
            const start = Date.now();
            await new Promise((r) => setTimeout(r, 250));
            await kv.set(Date.now() - start, key);
          },
        };
      }
    `);
    const scenario: Scenario<Module> = {
      ...hits(['k']),
      setup(world, mod) {
        const { kv, data } = store(world);
        const counter = mod.make(kv);
        return {
          tasks: [{ label: 't1 hit', run: () => counter.hit('k') }],
          check: () => (data.get('k') === 250 ? null : `elapsed ${data.get('k')}`),
        };
      },
    };
    expect((await explore(scenario, clock)).found).toBeNull();
  });
});

describe('fair scheduling', () => {
  it('passes a busy-wait that every fair schedule lets finish, and counts its polls', async () => {
    const polling = learner<Module>(`
      export function make(kv: any) {
        let busy = false;
        return {
          async hit(key: string) {
            while (busy) await kv.get(key);
            busy = true;
            try {
              await kv.set((await kv.get(key)) + 1, key);
            } finally {
              busy = false;
            }
          },
        };
      }
    `);
    const { found, coverage } = await explore(hits(['k', 'k']), polling);
    expect(found).toBeNull();
    expect(coverage.polls).toBeGreaterThan(0);
  });

  it('fails a poller that nothing can release, naming the livelock', async () => {
    const stuck = learner<Module>(`
      export function make(kv: any) {
        return {
          async hit(key: string) {
            while ((await kv.get('flag')) !== 1) {}
            await kv.set(1, key);
          },
        };
      }
    `);
    const { found } = await explore(hits(['k']), stuck);
    expect(found?.failure.kind).toBe('livelock');
    expect(found?.failure.message).toContain("repeated get('flag')");
  });
});

describe('follow', () => {
  it('falls back to the current task when the wanted choice is not there', async () => {
    const run = await runSchedule(hits(['k', 'k']), racy, follow([{ a: 1 }, { t: 0, o: 0 }]));
    expect(run.labels[0]).toEqual({ a: 1 });
    expect(run.failure).toBeNull();
  });
});
