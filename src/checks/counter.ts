import type { Scenario, TaskOutcome } from '../explorer/scenario.js';
import { shortName } from '../explorer/stuck.js';
import type { World } from '../explorer/world.js';
import { type Check, exported, schedule } from './check.js';

interface KV {
  get(key: string): Promise<number | undefined>;
  set(key: string, value: number): Promise<void>;
}
type ViewCounter = { hit(page: string): Promise<void>; count(page: string): Promise<number> };
type CounterModule = Record<string, unknown>;

/**
 * A store whose reads and writes take effect when the explorer releases them; a failed set writes
 * nothing. It may hold counts already (other services count too): a counter that never reads it shows.
 */
function store(world: World, initial: Readonly<Record<string, number>> = {}) {
  const data = new Map<string, number>(Object.entries(initial));
  const kv: KV = {
    get: (key) => world.op('kv.get', [key], () => data.get(key)),
    set: (key, value) =>
      world.op(
        'kv.set',
        [key, value],
        () => {
          data.set(key, value);
        },
        { fallible: true, describe: () => 'ok' },
      ),
  };
  return { kv, data };
}

function counter(mod: CounterModule, kv: KV): ViewCounter {
  const Counter = exported<new (kv: KV) => ViewCounter>(mod, 'ViewCounter', 'the class');
  return new Counter(kv);
}

const resolved = (outcomes: readonly TaskOutcome[], page: string, pages: readonly string[]) =>
  outcomes.filter((o, i) => o.status === 'resolved' && pages[i] === page).length;

const hits = (n: number) => (n === 1 ? '1 hit' : `${n} hits`);
const haveResolved = (n: number, page: string) =>
  `${hits(n)} of '${page}' ${n === 1 ? 'has' : 'have'} resolved`;

/**
 * How many hits of each page may reject: what the failed writes tried to add. A failed
 * `set(page, v)` while the store held c loses v − c views (one, or a batch); no other hit may fail.
 */
function allowedRejections(world: World, initial: Readonly<Record<string, number>>): Map<string, number> {
  const held = new Map<string, number>(Object.entries(initial));
  const allowed = new Map<string, number>();
  for (const event of world.events) {
    if (event.op !== 'kv.set') continue;
    const [key, value] = event.args as [string, number];
    if (event.result === 'fails') {
      const lost = Math.max(0, value - (held.get(key) ?? 0));
      allowed.set(key, (allowed.get(key) ?? 0) + lost);
    } else held.set(key, value);
  }
  return allowed;
}

/**
 * Hits on pages; every hit that resolves must already be counted, the count must match exactly,
 * and only as many hits may reject as the failed writes lost.
 */
function hitting(
  name: string,
  pages: string[],
  options: Partial<Scenario<CounterModule>> & { initial?: Record<string, number> } = {},
): Scenario<CounterModule> {
  const { initial = {}, ...scenario } = options;
  const before = (page: string) => initial[page] ?? 0;
  const held = (data: Map<string, number>, page: string) => {
    const now = data.get(page) ?? 0;
    return before(page) ? `${now} (it held ${before(page)} before)` : `${now}`;
  };
  return {
    name,
    ...scenario,
    setup(world, mod) {
      const { kv, data } = store(world, initial);
      const views = counter(mod, kv);
      let failedAt = -1;
      return {
        tasks: pages.map((page, i) => ({
          label: `t${i + 1} hit('${page}')`,
          run: () => views.hit(page),
        })),
        onSettle(task, outcomes) {
          const page = pages[task]!;
          const outcome = outcomes[task]!;
          if (outcome.status === 'rejected' && failedAt < 0) failedAt = outcome.settledAt;
          if (outcome.status !== 'resolved') return;
          const counted = (data.get(page) ?? 0) - before(page);
          const done = resolved(outcomes, page, pages);
          if (counted >= done) return;
          const wrote = world.events.some(
            (e) => e.task === task && e.op === 'kv.set' && e.result !== 'fails',
          );
          const who = shortName(outcomes, task);
          world.fail(
            wrote
              ? `${haveResolved(done, page)}, but the store holds ${held(data, page)}: an update was lost — a hit wrote a count computed from a stale read.`
              : `${who}'s hit resolved without being counted: ${haveResolved(done, page)}, but the store holds ${held(data, page)}.`,
          );
        },
        check(outcomes) {
          const rejectedOf = (page: string) =>
            outcomes.flatMap((o, i) => (o.status === 'rejected' && pages[i] === page ? [i] : []));
          for (const [task, outcome] of outcomes.entries()) {
            const ownFailure = world.events.some((e) => e.task === task && e.result === 'fails');
            if (
              outcome.status === 'rejected' &&
              failedAt >= 0 &&
              outcome.arrivedAt > failedAt &&
              !ownFailure
            ) {
              return `${shortName(outcomes, task)} started after a failed write was reported and still failed: one failed kv.set must not stop later hits from counting.`;
            }
          }
          const allowed = allowedRejections(world, initial);
          for (const page of new Set(pages)) {
            const rejected = rejectedOf(page);
            const lost = allowed.get(page) ?? 0;
            if (rejected.length <= lost) continue;
            const first = rejected[0]!;
            return lost === 0
              ? `${shortName(outcomes, first)}'s hit rejected though no write of '${page}' failed: ${String(outcomes[first]!.error)}`
              : `${hits(rejected.length)} of '${page}' rejected, but the failed write lost only ${hits(lost)}: one failed kv.set must not fail the hits waiting behind it — they must still count.`;
          }
          for (const page of new Set(pages)) {
            const counted = (data.get(page) ?? 0) - before(page);
            const done = resolved(outcomes, page, pages);
            if (counted === done) continue;
            const rejected = rejectedOf(page).length;
            const tail = rejected > 0 ? ` (${rejected} rejected and must not count)` : '';
            return `${hits(done)} of '${page}' resolved${tail}, but the store holds ${held(data, page)} under '${page}'${counted < done ? ': an update was lost' : ': a hit was counted that should not be'}.`;
          }
          return null;
        },
      };
    },
  };
}

/** count() answers what the store holds (other services' views included), and 0 for a page never hit. */
const counting: Scenario<CounterModule> = {
  name: 'count answers the stored count',
  setup(world, mod) {
    const { kv } = store(world, { a: 40 });
    const views = counter(mod, kv);
    return {
      tasks: [
        {
          label: "t1 hit('a') ×2, count('a') (the store held 40)",
          run: async () => {
            await views.hit('a');
            await views.hit('a');
            return views.count('a');
          },
        },
        { label: "t2 count('never')", run: () => views.count('never') },
      ],
      check(outcomes) {
        const [first, second] = outcomes;
        if (first?.value !== 42)
          return `count('a') answered ${String(first?.value)} after two hits of 'a' on a store that held 40; it must be 42 — the count is what the store holds.`;
        if (second?.value !== 0)
          return `count('never') answered ${String(second?.value)}; a page never hit counts 0.`;
        return null;
      },
    };
  },
};

export const check: Check<CounterModule> = {
  exercise: 'counter',
  scenarios: [
    hitting('two hits of one page', ['home', 'home'], {
      witnesses: [schedule('a0 a1 r0.0 r1.0 r0.1 r1.1')],
    }),
    counting,
    hitting('hits of two pages, one counted before', ['a', 'b', 'a'], { initial: { b: 7 } }),
    hitting('a write fails', ['home', 'home', 'home'], { maxFailures: 1, initial: { home: 41 } }),
    hitting('three hits, newcomers slipping into a release', ['home', 'home', 'home'], { newcomers: [2] }),
  ],
};
