import fc from 'fast-check';
import { linearize, type SequentialModel } from '../explorer/linearizability.js';
import type { Scenario, TaskOutcome } from '../explorer/scenario.js';
import { shortName } from '../explorer/stuck.js';
import type { World } from '../explorer/world.js';
import {
  arrayOf,
  type Check,
  callers,
  exported,
  isRecord,
  type Module,
  schedule,
  unexplainedRejection,
} from './check.js';

interface KV {
  get(key: string): Promise<number | undefined>;
  set(key: string, value: number): Promise<void>;
}
type ViewCounter = { hit(page: string): Promise<void>; count(page: string): Promise<number> };

const PAGES = ['home', 'about'] as const;
type Page = (typeof PAGES)[number];

interface Call {
  op: 'hit' | 'count';
  page: Page;
}

/** Callers of one counter, the counts the store held before (other services count too), and whether a write may fail. */
export interface CounterWorkload {
  calls: Call[];
  initial: Partial<Record<Page, number>>;
  failures: 0 | 1;
}

type Counts = ReadonlyMap<string, number>;

/** The contract, one call at a time: a hit adds one to its page; count answers what is stored. */
const model: SequentialModel<Counts, Call> = {
  apply(state, call) {
    const now = state.get(call.page) ?? 0;
    if (call.op === 'count') return { state, answer: now };
    return { state: new Map(state).set(call.page, now + 1), answer: undefined };
  },
  key: (state) => [...state].map(([page, n]) => `${page}=${n}`).join(','),
};

const describeCall = (call: Call) => `${call.op}('${call.page}')`;

const isCall = (x: unknown): x is Call =>
  isRecord(x) && (x.op === 'hit' || x.op === 'count') && PAGES.includes(x.page as Page);

const EXAMPLES: CounterWorkload[] = [
  { calls: [hit('home'), hit('home')], initial: {}, failures: 0 },
  { calls: [hit('home'), hit('home'), { op: 'count', page: 'home' }], initial: { home: 40 }, failures: 0 },
  { calls: [hit('home'), hit('about'), hit('home')], initial: { about: 7 }, failures: 0 },
  { calls: [hit('home'), hit('home'), hit('home')], initial: { home: 41 }, failures: 1 },
  { calls: [hit('home'), hit('home'), hit('home')], initial: {}, failures: 0 },
  { calls: [{ op: 'count', page: 'about' }, hit('home')], initial: {}, failures: 0 },
];

function hit(page: Page): Call {
  return { op: 'hit', page };
}

/**
 * A store whose reads and writes take effect when the explorer releases them; a failed set writes
 * nothing. It may hold counts already (other services count too): a counter that never reads it shows.
 */
function store(world: World, initial: Partial<Record<Page, number>>) {
  const data = new Map<string, number>(Object.entries(initial));
  const kv: KV = {
    get: (key) =>
      world.op('kv.get', [key], () => data.get(key), { touches: [{ object: 'kv', key, write: false }] }),
    set: (key, value) =>
      world.op(
        'kv.set',
        [key, value],
        () => {
          data.set(key, value);
        },
        { fallible: true, describe: () => 'ok', touches: [{ object: 'kv', key, write: true }] },
      ),
  };
  return { kv, data };
}

const hits = (n: number) => (n === 1 ? '1 hit' : `${n} hits`);

/**
 * How many hits of each page may reject: what the failed writes tried to add. A failed
 * `set(page, v)` while the store held c loses v − c views (one, or a batch); no other hit may fail.
 */
function allowedRejections(world: World, initial: Partial<Record<Page, number>>): Map<string, number> {
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

function scenario(workload: CounterWorkload): Scenario<Module> {
  const { calls, initial } = workload;
  const before = (page: string) => initial[page as Page] ?? 0;
  const held = (now: number, page: string) =>
    before(page) ? `${now} (it held ${before(page)} before)` : `${now}`;
  return {
    name: describe(workload),
    maxFailures: workload.failures,
    witnesses:
      calls.length === 2 && calls.every((c) => c.op === 'hit' && c.page === calls[0]!.page)
        ? [schedule('a0 a1 r0.0 r1.0 r0.1 r1.1')]
        : [],
    setup(world, mod) {
      const { kv, data } = store(world, initial);
      const Counter = exported<new (kv: KV) => ViewCounter>(mod, 'ViewCounter', 'the class');
      const views = new Counter(kv);
      const stored = (page: string) => {
        world.access('kv', page, false);
        return data.get(page) ?? 0;
      };
      const resolvedHits = (outcomes: readonly TaskOutcome[], page: string) =>
        outcomes.filter(
          (o, i) => o.status === 'resolved' && calls[i]!.op === 'hit' && calls[i]!.page === page,
        ).length;
      return {
        tasks: calls.map((call, i) => ({
          label: `t${i + 1} ${describeCall(call)}`,
          alike: describeCall(call),
          run: () => (call.op === 'hit' ? views.hit(call.page) : views.count(call.page)),
          // Only a count shows when a hit happened: two hits, or two counts, need no order.
          realTime:
            call.op === 'hit'
              ? { arrive: [`count:${call.page}`], settle: [`hit:${call.page}`] }
              : { arrive: [`hit:${call.page}`], settle: [`count:${call.page}`] },
        })),
        observe: () =>
          [...new Set([...Object.keys(initial), ...calls.map((call) => call.page), ...data.keys()])].map(
            (page) => ({
              label: `kv '${page}'`,
              value: String(data.get(page) ?? 'nothing'),
            }),
          ),
        // Other services read the store at any moment: a hit that has resolved must be in it already.
        onSettle(task, outcomes) {
          const call = calls[task]!;
          if (call.op !== 'hit' || outcomes[task]!.status !== 'resolved') return;
          const now = stored(call.page);
          const done = resolvedHits(outcomes, call.page);
          if (now - before(call.page) >= done) return;
          const wrote = world.events.some(
            (e) => e.task === task && e.op === 'kv.set' && e.result !== 'fails',
          );
          world.fail(
            wrote
              ? `${hits(done)} of '${call.page}' ${done === 1 ? 'has' : 'have'} resolved, but the store holds ${held(now, call.page)}: an update was lost — a hit wrote a count computed from a stale read.`
              : `${shortName(outcomes, task)}'s hit resolved before its view was stored: ${hits(done)} of '${call.page}' resolved, but the store holds ${held(now, call.page)}.`,
          );
        },
        check(outcomes) {
          const injected = world.events.some((e) => e.result === 'fails');
          const unexplained = unexplainedRejection(outcomes, injected);
          if (unexplained) return unexplained;
          const counting = outcomes.findIndex((o, i) => calls[i]!.op === 'count' && o.status === 'rejected');
          if (counting >= 0) {
            return `${shortName(outcomes, counting)}'s count rejected (${String(outcomes[counting]!.error)}): only a failed kv.set may fail a call, and count writes nothing.`;
          }
          const allowed = allowedRejections(world, initial);
          for (const page of PAGES) {
            const rejected = outcomes.flatMap((o, i) =>
              o.status === 'rejected' && calls[i]!.op === 'hit' && calls[i]!.page === page ? [i] : [],
            );
            const lost = allowed.get(page) ?? 0;
            if (rejected.length <= lost) continue;
            const first = rejected[0]!;
            return lost === 0
              ? `${shortName(outcomes, first)}'s hit rejected though no write of '${page}' failed: ${String(outcomes[first]!.error)}`
              : `${hits(rejected.length)} of '${page}' rejected, but the failed write lost only ${hits(lost)}: one failed kv.set must not fail the hits waiting behind it — they must still count.`;
          }
          // A rejected hit changed nothing; the rest must be some order of one call at a time.
          const final = new Map([...data]);
          // Without counts, every order of the hits gives the same store: compare it directly.
          if (calls.every((c) => c.op === 'hit')) return explainCounts(calls, outcomes, final, before, true);
          const initialCounts: Counts = new Map(Object.entries(initial));
          const linear = linearize(model, initialCounts, calls, outcomes, {
            objects: (i) => [calls[i]!.page],
            skip: (i) => calls[i]!.op === 'hit' && outcomes[i]!.status === 'rejected',
            accept: (state) => PAGES.every((page) => (state.get(page) ?? 0) === (final.get(page) ?? 0)),
          });
          if (linear) return null;
          return (
            explainCounts(calls, outcomes, final, before) ??
            'no order of running the calls one at a time gives these answers.'
          );
        },
      };
    },
  };
}

/** Why no order of one call at a time explains the run: the stored counts first, then the answers of count. */
function explainCounts(
  calls: readonly Call[],
  outcomes: readonly TaskOutcome[],
  final: ReadonlyMap<string, number>,
  before: (page: string) => number,
  onlyHits = false,
): string | null {
  for (const page of PAGES) {
    const done = outcomes.filter(
      (o, i) => o.status === 'resolved' && calls[i]!.op === 'hit' && calls[i]!.page === page,
    ).length;
    const now = final.get(page) ?? 0;
    if (now - before(page) === done) continue;
    const rejected = outcomes.filter((o, i) => o.status === 'rejected' && calls[i]!.page === page).length;
    const tail = rejected > 0 ? ` (${rejected} rejected and must not count)` : '';
    const was = before(page) ? `${now} (it held ${before(page)} before)` : `${now}`;
    return `${hits(done)} of '${page}' resolved${tail}, but the store holds ${was} under '${page}'${now - before(page) < done ? ': an update was lost' : ': a hit was counted that should not be'}.`;
  }
  if (onlyHits) return null;
  const counts = outcomes.flatMap((o, i) =>
    calls[i]!.op === 'count' ? [`${shortName(outcomes, i)} → ${String(o.value)}`] : [],
  );
  return `count answered ${counts.join(', ')}, which no order of running the calls one at a time gives: count must answer what the store holds for the page, hits included as soon as they resolve.`;
}

function describe(workload: CounterWorkload): string {
  const held = Object.entries(workload.initial).filter(([, n]) => n);
  return [
    callers(workload.calls.map(describeCall)),
    ...(held.length > 0 ? [`the store held ${held.map(([p, n]) => `${p}=${n}`).join(', ')}`] : []),
    ...(workload.failures ? ['one kv.set may fail'] : []),
  ].join('; ');
}

const arbitrary: fc.Arbitrary<CounterWorkload> = fc.record({
  calls: fc.array(
    fc.record({
      op: fc.constantFrom<Call['op']>('hit', 'hit', 'count'),
      page: fc.constantFrom<Page>(...PAGES),
    }),
    { minLength: 1, maxLength: 3 },
  ),
  initial: fc.record({ home: fc.constantFrom(0, 41), about: fc.constantFrom(0, 7) }),
  failures: fc.constantFrom<0 | 1>(0, 1),
});

export const check: Check<CounterWorkload> = {
  exercise: 'counter',
  version: 2,
  workloads: {
    arbitrary,
    examples: EXAMPLES,
    generated: 12,
    describe,
    parse(value) {
      if (!isRecord(value) || !arrayOf(value.calls, isCall, 1, 4)) return null;
      if (value.failures !== 0 && value.failures !== 1) return null;
      if (!isRecord(value.initial)) return null;
      const initial: Partial<Record<Page, number>> = {};
      for (const [page, n] of Object.entries(value.initial)) {
        if (
          !PAGES.includes(page as Page) ||
          !Number.isInteger(n) ||
          (n as number) < 0 ||
          (n as number) > 1000
        )
          return null;
        initial[page as Page] = n as number;
      }
      return { calls: value.calls, initial, failures: value.failures };
    },
  },
  scenario,
};
