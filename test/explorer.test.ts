import { describe, expect, it } from 'vitest';
import { explore } from '../src/explorer/explorer.js';
import { decodeReplay, encodeReplay } from '../src/explorer/replay.js';
import { follow, runSchedule } from '../src/explorer/run.js';
import type { Scenario } from '../src/explorer/scenario.js';

type Counter = { hit(): Promise<void> };
type Make = (kv: { get(): Promise<number>; set(n: number): Promise<void> }) => Counter;

/** Two hits on a counter built by `make`; the stored count must equal the hits. */
function twoHits(): Scenario<Make> {
  return {
    name: 'two hits',
    setup(world, factory) {
      let stored = 0;
      const kv = {
        get: () => world.op('get', [], () => stored),
        set: (n: number) =>
          world.op('set', [n], () => {
            stored = n;
          }),
      };
      const counter = factory(kv);
      return {
        tasks: [
          { label: 't1 hit()', run: () => counter.hit() },
          { label: 't2 hit()', run: () => counter.hit() },
        ],
        check: () => (stored === 2 ? null : `stored ${stored}, expected 2`),
      };
    },
  };
}

const racy: Make = (kv) => ({
  async hit() {
    await kv.set((await kv.get()) + 1);
  },
});

const chained: Make = (kv) => {
  let tail = Promise.resolve();
  return {
    hit() {
      const run = tail.then(async () => kv.set((await kv.get()) + 1));
      tail = run.catch(() => {});
      return run;
    },
  };
};

describe('explorer', () => {
  it('finds a lost update and shrinks it to the shortest interleaving', async () => {
    const { found } = await explore([twoHits()], () => racy);
    expect(found?.failure).toEqual({ kind: 'invariant', message: 'stored 1, expected 2' });
    // Both reads must come before either write: 2 arrivals and 4 releases, nothing more.
    expect(found?.run.labels).toHaveLength(6);
    const ops = found!.run.events.filter((e) => e.op === 'get' || e.op === 'set').map((e) => e.op);
    expect(ops).toEqual(['get', 'get', 'set', 'set']);
  });

  it('passes a correct fix only after exploring every schedule, and says how many', async () => {
    const { found, coverage } = await explore([twoHits()], () => chained);
    expect(found).toBeNull();
    expect(coverage.exhaustive).toBe(true);
    expect(coverage.schedules).toBeGreaterThan(1);
  });

  it('gives the same failing schedule on every run', async () => {
    const runs = await Promise.all([1, 2, 3].map(() => explore([twoHits()], () => racy)));
    const schedules = runs.map((r) => JSON.stringify(r.found?.run.labels));
    expect(new Set(schedules).size).toBe(1);
  });

  it('replays a schedule from its token', async () => {
    const { found } = await explore([twoHits()], () => racy);
    const token = encodeReplay({ exercise: 'x', scenario: 0, labels: found!.run.labels });
    const point = decodeReplay(token)!;
    const again = await runSchedule(twoHits(), () => racy, follow(point.labels));
    expect(again.failure).toEqual(found!.failure);
    expect(again.events).toEqual(found!.run.events);
    expect(decodeReplay('not-a-token')).toBeNull();
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
    const { found } = await explore([scenario], () => null);
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
    const { found } = await explore([scenario], () => null);
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
    const { found } = await explore([scenario], () => null);
    expect(found?.failure.kind).toBe('stuck');
    expect(found?.failure.message).toContain('t1 never finished');
  });

  it('lets a newcomer slip between an unlock and the waiter it woke', async () => {
    // A mutex whose woken waiter does not re-check: only a newcomer in the same turn exposes it.
    const barging = () => {
      let locked = false;
      const waiters: (() => void)[] = [];
      return {
        async lock() {
          if (locked) await new Promise<void>((r) => waiters.push(r));
          locked = true;
        },
        unlock() {
          locked = false;
          waiters.shift()?.();
        },
      };
    };
    const make: Make = (kv) => {
      const m = barging();
      return {
        async hit() {
          await m.lock();
          try {
            await kv.set((await kv.get()) + 1);
          } finally {
            m.unlock();
          }
        },
      };
    };
    const three: Scenario<Make> = {
      name: 'three hits',
      newcomers: [2],
      setup(world, factory) {
        let stored = 0;
        const kv = {
          get: () => world.op('get', [], () => stored),
          set: (n: number) =>
            world.op('set', [n], () => {
              stored = n;
            }),
        };
        const counter = factory(kv);
        return {
          tasks: [1, 2, 3].map((i) => ({ label: `t${i} hit()`, run: () => counter.hit() })),
          check: () => (stored === 3 ? null : `stored ${stored}, expected 3`),
        };
      },
    };
    const withoutNewcomer = await explore([{ ...three, newcomers: [] }], () => make);
    expect(withoutNewcomer.found).toBeNull();
    const withNewcomer = await explore([three], () => make);
    expect(withNewcomer.found?.failure.message).toBe('stored 2, expected 3');
  });

  it('starts two callers in one synchronous turn where the scenario asks for it', async () => {
    // The guard is set a microtask after it is tested: only callers started together both pass it.
    type Once = (load: () => Promise<void>) => { run(): Promise<void> };
    const once: Once = (load) => {
      let started = false;
      return {
        async run() {
          if (started) return;
          await null;
          started = true;
          await load();
        },
      };
    };
    const twice: Scenario<Once> = {
      name: 'two runs',
      together: true,
      setup(world, factory) {
        let loads = 0;
        const o = factory(() => world.op('load', [], () => void loads++));
        return {
          tasks: [1, 2].map((i) => ({ label: `t${i} run()`, run: () => o.run() })),
          check: () => (loads <= 1 ? null : `loaded ${loads} times`),
        };
      },
    };
    const apart = await explore([{ ...twice, together: false }], () => once);
    expect(apart.found).toBeNull();
    const together = await explore([twice], () => once);
    expect(together.found?.failure.message).toBe('loaded 2 times');
    expect(together.found?.run.labels[0]).toEqual({ a: 0, n: 1 });
  });
});
