import fc from 'fast-check';
import { formatValue } from '../explorer/format.js';
import type { Scenario, StateRow, TaskOutcome } from '../explorer/scenario.js';
import { shortName } from '../explorer/stuck.js';
import type { World } from '../explorer/world.js';
import { arrayOf, type Check, callers, exported, isRecord, type Module, schedule } from './check.js';

type Cache = { get(key: string): Promise<unknown> };

/** What the slow service answers: falsy and empty values included, so a truthiness or `!== undefined` test shows. */
const VALUES: Record<string, unknown> = {
  a: 'A',
  b: 'B',
  zero: 0,
  empty: '',
  no: false,
  nothing: null,
  missing: undefined,
};
const KEYS = Object.keys(VALUES);

/**
 * How a caller uses the cache: one `get`; a `get` that, when it fails, gets again from its catch
 * handler; or two gets in a row (the second must come from the cache).
 */
interface Call {
  kind: 'get' | 'retry' | 'twice';
  key: string;
}

/** Callers of one cache; whether a load may fail; a key whose loads the explorer holds back. */
export interface CacheWorkload {
  calls: Call[];
  failures: 0 | 1;
  /** While a get of another key is unsettled, loads of this key wait: one slow key must not hold up the others. */
  slow: string | null;
}

/** The state of one run, shared by the loader port and the invariants. */
class Service {
  readonly inFlight = new Map<string, number>();
  readonly loaded = new Set<string>();
  /** The step at which a load of the key failed, and the error it failed with. */
  readonly failures = new Map<string, { step: number; error: unknown }>();

  constructor(
    private readonly world: World,
    private readonly holdBack: (key: string) => string | null,
  ) {}

  /** Each key the loader was asked for: loading, loaded or failed (see ScenarioRun.observe). */
  observe(): StateRow[] {
    const keys = new Set([...this.inFlight.keys(), ...this.loaded, ...this.failures.keys()]);
    return [...keys].map((key) => {
      const loading = this.inFlight.get(key) ?? 0;
      const state = [
        ...(loading > 0 ? [`${loading} load${loading === 1 ? '' : 's'} in flight`] : []),
        ...(this.loaded.has(key) ? [`loaded ${formatValue(VALUES[key])}`] : []),
        ...(this.failures.has(key) ? ['a load failed'] : []),
      ];
      return { label: `loader '${key}'`, value: state.join(', ') || 'idle' };
    });
  }

  load = (key: string): Promise<unknown> => {
    const { world } = this;
    world.record('loader', [key], 'called');
    world.access('loader', key, true);
    if ((this.inFlight.get(key) ?? 0) > 0) {
      world.fail(
        `the loader was called for '${key}' while a load of '${key}' was still in flight: concurrent misses must share one load.`,
      );
    } else if (this.loaded.has(key)) {
      world.fail(
        `the loader was called again for '${key}', which had loaded ${formatValue(VALUES[key])}: a loaded value must be served from the cache.`,
      );
    }
    this.inFlight.set(key, (this.inFlight.get(key) ?? 0) + 1);
    const done = () => this.inFlight.set(key, this.inFlight.get(key)! - 1);
    const load = world.op(
      'load',
      [key],
      () => {
        done();
        this.loaded.add(key);
        return VALUES[key];
      },
      {
        fallible: true,
        heldBack: () => this.holdBack(key),
        touches: [{ object: 'loader', key, write: true }],
      },
    );
    load.catch((error: unknown) => {
      if (!this.loaded.has(key) && !this.failures.has(key)) {
        this.failures.set(key, { step: world.step, error });
        world.access('rt', `failed:${key}`, true);
      }
      if (this.failures.get(key)?.error === error) done();
    });
    return load;
  };
}

const describeCall = (call: Call) =>
  call.kind === 'get'
    ? `get('${call.key}')`
    : call.kind === 'retry'
      ? `get('${call.key}'), on failure get('${call.key}') again`
      : `get('${call.key}') twice`;

function scenario(workload: CacheWorkload): Scenario<Module> {
  const { calls, slow } = workload;
  return {
    name: describe(workload),
    maxFailures: workload.failures,
    witnesses: calls.length >= 2 && calls[0]!.key === calls[1]!.key ? [schedule('a0 a1')] : [],
    setup(world, mod) {
      const settled = new Set<number>();
      const others = calls.flatMap((call, i) => (call.key !== slow ? [i] : []));
      const service = new Service(world, (key) =>
        key === slow && others.some((i) => !settled.has(i))
          ? `a get of another key could not finish while the load of '${slow}' was pending: one slow key must not hold up the others.`
          : null,
      );
      const LoadingCache = exported<new (loader: (key: string) => Promise<unknown>) => Cache>(
        mod,
        'LoadingCache',
        'the class',
      );
      const cache = new LoadingCache(service.load);
      const run = (call: Call, task: number) => async () => {
        if (call.kind === 'get') return cache.get(call.key);
        if (call.kind === 'twice') return [await cache.get(call.key), await cache.get(call.key)];
        try {
          return await cache.get(call.key);
        } catch {
          const retry = cache.get(call.key);
          world.record('retry', [call.key], `get('${call.key}')`);
          return await retry.catch((error: unknown) => {
            if (error === service.failures.get(call.key)?.error) {
              world.fail(
                `${`t${task + 1}`}'s retry from its catch handler got the failed load of '${call.key}' again: evict a failed load before its waiters see the failure.`,
              );
            }
            throw error;
          });
        }
      };
      return {
        tasks: calls.map((call, i) => ({
          label: `t${i + 1} ${describeCall(call)}`,
          alike: describeCall(call),
          run: run(call, i),
          // Every get answers its key's value, so no order of answers shows; only a failed load does.
          realTime: { arrive: [`failed:${call.key}`], settle: [] },
        })),
        onSettle(task) {
          settled.add(task);
        },
        observe: () => service.observe(),
        check: (outcomes) => checkAnswers(outcomes, calls, service),
      };
    },
  };
}

function checkAnswers(
  outcomes: readonly TaskOutcome[],
  calls: readonly Call[],
  service: Service,
): string | null {
  for (const [task, outcome] of outcomes.entries()) {
    const { key, kind } = calls[task]!;
    const who = shortName(outcomes, task);
    const failure = service.failures.get(key);
    // Arrived while the failed load was in flight: it waited for that load.
    const waited = failure !== undefined && outcome.arrivedAt < failure.step;
    const sameTurn = failure !== undefined && outcome.arrivedAt === failure.step;
    if (outcome.status === 'rejected') {
      if (!failure) {
        return `${who}'s ${describeCall(calls[task]!)} rejected (${formatValue(outcome.error)}), though no load failed.`;
      }
      if (outcome.error !== failure.error) {
        return `${who} was waiting for the load of '${key}' that failed with "${formatValue(failure.error)}", but rejected with "${formatValue(outcome.error)}": pass the loader's error on.`;
      }
      if (!waited && !sameTurn && kind !== 'retry') {
        return `${who}'s get('${key}') began after the load of '${key}' had failed, yet rejected with its error: a failed load must not be cached.`;
      }
      continue;
    }
    if (waited && kind !== 'retry') {
      return `${who} was waiting for the load of '${key}' that failed, yet resolved with ${formatValue(outcome.value)}: a failed load must reach every waiter.`;
    }
    const expected = kind === 'twice' ? [VALUES[key], VALUES[key]] : VALUES[key];
    if (
      formatValue(outcome.value) !== formatValue(expected) ||
      (kind !== 'twice' && outcome.value !== VALUES[key])
    ) {
      return `${who}'s ${describeCall(calls[task]!)} answered ${formatValue(outcome.value)}, but the loader gives ${formatValue(VALUES[key])}${kind === 'twice' ? ' each time' : ''}.`;
    }
  }
  return null;
}

function describe(workload: CacheWorkload): string {
  return [
    callers(workload.calls.map(describeCall)),
    ...(workload.failures ? ['one load may fail'] : []),
    ...(workload.slow ? [`loads of '${workload.slow}' are slow`] : []),
  ].join('; ');
}

const get = (key: string): Call => ({ kind: 'get', key });

const EXAMPLES: CacheWorkload[] = [
  { calls: [get('a'), get('a')], failures: 0, slow: null },
  { calls: [get('a'), get('b')], failures: 0, slow: 'a' },
  { calls: [get('a'), get('b'), get('a')], failures: 0, slow: null },
  {
    calls: [
      { kind: 'twice', key: 'zero' },
      { kind: 'twice', key: 'nothing' },
      { kind: 'twice', key: 'missing' },
    ],
    failures: 0,
    slow: null,
  },
  {
    calls: [
      { kind: 'twice', key: 'empty' },
      { kind: 'twice', key: 'no' },
    ],
    failures: 0,
    slow: null,
  },
  { calls: [get('a'), get('a'), get('a')], failures: 1, slow: null },
  { calls: [{ kind: 'retry', key: 'a' }, get('a')], failures: 1, slow: null },
];

const isCall = (x: unknown): x is Call =>
  isRecord(x) &&
  (x.kind === 'get' || x.kind === 'retry' || x.kind === 'twice') &&
  KEYS.includes(x.key as string);

const arbitrary: fc.Arbitrary<CacheWorkload> = fc
  .record({
    calls: fc.array(
      fc.record({
        kind: fc.constantFrom<Call['kind']>('get', 'get', 'get', 'retry', 'twice'),
        key: fc.constantFrom('a', 'a', 'b', 'zero', 'nothing', 'missing'),
      }),
      { minLength: 1, maxLength: 3 },
    ),
    failures: fc.constantFrom<0 | 1>(0, 1),
    slowFirst: fc.boolean(),
  })
  .map(({ calls, failures, slowFirst }) => {
    // The first key is slow only where another key's get could be held up by it.
    const first = calls[0]!.key;
    const slow = slowFirst && calls.some((c) => c.key !== first) ? first : null;
    return { calls, failures, slow };
  });

export const check: Check<CacheWorkload> = {
  exercise: 'cache',
  version: 2,
  workloads: {
    arbitrary,
    examples: EXAMPLES,
    generated: 12,
    describe,
    parse(value) {
      if (!isRecord(value) || !arrayOf(value.calls, isCall, 1, 4)) return null;
      if (value.failures !== 0 && value.failures !== 1) return null;
      if (value.slow !== null && !KEYS.includes(value.slow as string)) return null;
      return { calls: value.calls, failures: value.failures, slow: value.slow as string | null };
    },
  },
  scenario,
};
