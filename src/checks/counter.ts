import type { Scenario, TaskOutcome } from '../harness/scenario.js';
import { shortName } from '../harness/stuck.js';
import type { World } from '../harness/world.js';
import { type Check, exported, schedule } from './check.js';

interface KV {
  get(key: string): Promise<number | undefined>;
  set(key: string, value: number): Promise<void>;
}
type ViewCounter = { hit(page: string): Promise<void>; count(page: string): Promise<number> };
type CounterModule = Record<string, unknown>;

/** A store whose reads and writes take effect when the explorer releases them; a failed set writes nothing. */
function store(world: World) {
  const data = new Map<string, number>();
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

/** Hits on pages; every hit that resolves must already be counted, and the count must match exactly. */
function hitting(
  name: string,
  pages: string[],
  options: Partial<Scenario<CounterModule>> = {},
): Scenario<CounterModule> {
  return {
    name,
    ...options,
    setup(world, mod) {
      const { kv, data } = store(world);
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
          const stored = data.get(page) ?? 0;
          const done = resolved(outcomes, page, pages);
          if (stored >= done) return;
          const wrote = world.events.some(
            (e) => e.task === task && e.op === 'kv.set' && e.result !== 'fails',
          );
          const who = shortName(outcomes, task);
          world.fail(
            wrote
              ? `${hits(done)} of '${page}' have resolved, but the store holds ${stored}: an update was lost — a hit wrote a count computed from a stale read.`
              : `${who}'s hit resolved without being counted: ${hits(done)} of '${page}' have resolved, but the store holds ${stored}.`,
          );
        },
        check(outcomes) {
          const failed = world.events.some((event) => event.result === 'fails');
          for (const [task, outcome] of outcomes.entries()) {
            if (outcome.status === 'rejected' && !failed) {
              return `${shortName(outcomes, task)}'s hit rejected though no write failed: ${String(outcome.error)}`;
            }
            if (outcome.status === 'rejected' && failedAt >= 0 && outcome.arrivedAt > failedAt) {
              return `${shortName(outcomes, task)} started after a failed write was reported and still failed: one failed kv.set must not stop later hits from counting.`;
            }
          }
          for (const page of new Set(pages)) {
            const stored = data.get(page) ?? 0;
            const done = resolved(outcomes, page, pages);
            if (stored !== done) {
              const rejected = outcomes.filter((o, i) => o.status === 'rejected' && pages[i] === page).length;
              const tail = rejected > 0 ? ` (${rejected} rejected and must not count)` : '';
              return `${hits(done)} of '${page}' resolved${tail}, but the store holds ${stored} under '${page}'${stored < done ? ': an update was lost' : ': a hit was counted that should not be'}.`;
            }
          }
          return null;
        },
      };
    },
  };
}

/** count() answers what the store holds, and 0 for a page never hit. */
const counting: Scenario<CounterModule> = {
  name: 'count answers the stored count',
  setup(world, mod) {
    const { kv } = store(world);
    const views = counter(mod, kv);
    return {
      tasks: [
        {
          label: "t1 hit('a') ×2, count('a')",
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
        if (first?.value !== 2)
          return `count('a') answered ${String(first?.value)} after two hits of 'a'; it must be 2.`;
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
    hitting('hits of two pages', ['a', 'b', 'a']),
    hitting('a write fails', ['home', 'home', 'home'], { maxFailures: 1 }),
    hitting('three hits, newcomers slipping into a release', ['home', 'home', 'home'], { newcomers: [2] }),
  ],
};
