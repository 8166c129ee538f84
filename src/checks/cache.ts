import { formatValue } from '../explorer/format.js';
import type { Scenario, TaskOutcome } from '../explorer/scenario.js';
import { shortName } from '../explorer/stuck.js';
import type { World } from '../explorer/world.js';
import { type Check, exported, schedule } from './check.js';

type Cache = { get(key: string): Promise<unknown> };
type CacheModule = Record<string, unknown>;

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

/** The state of one run, shared by the loader port and the invariants. */
class Service {
  readonly inFlight = new Map<string, number>();
  readonly loaded = new Set<string>();
  /** The step at which a load of the key failed, and the error it failed with. */
  readonly failures = new Map<string, { step: number; error: unknown }>();
  readonly settled = new Set<number>();

  constructor(
    private readonly world: World,
    private readonly holdBack: (key: string) => string | null = () => null,
  ) {}

  load = (key: string): Promise<unknown> => {
    const { world } = this;
    world.record('loader', [key], 'called');
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
      { fallible: true, heldBack: () => this.holdBack(key) },
    );
    load.catch((error: unknown) => {
      if (!this.loaded.has(key) && !this.failures.has(key))
        this.failures.set(key, { step: world.step, error });
      if (this.failures.get(key)?.error === error) done();
    });
    return load;
  };
}

function cache(mod: CacheModule, service: Service): Cache {
  const LoadingCache = exported<new (loader: (key: string) => Promise<unknown>) => Cache>(
    mod,
    'LoadingCache',
    'the class',
  );
  return new LoadingCache(service.load);
}

/** Gets of keys; each must answer the key's value, and a get that waited on a failed load must fail with it. */
function gets(
  name: string,
  keys: string[],
  options: Partial<Scenario<CacheModule>> = {},
): Scenario<CacheModule> {
  return {
    name,
    ...options,
    setup(world, mod) {
      const service = new Service(world);
      const c = cache(mod, service);
      return {
        tasks: keys.map((key, i) => ({ label: `t${i + 1} get('${key}')`, run: () => c.get(key) })),
        check: (outcomes) => checkAnswers(outcomes, keys, service),
      };
    },
  };
}

function checkAnswers(
  outcomes: readonly TaskOutcome[],
  keys: readonly string[],
  service: Service,
): string | null {
  for (const [task, outcome] of outcomes.entries()) {
    const key = keys[task]!;
    const who = shortName(outcomes, task);
    const failure = service.failures.get(key);
    const waited = failure !== undefined && outcome.arrivedAt <= failure.step;
    if (waited && outcome.status === 'resolved') {
      return `${who} was waiting for the load of '${key}' that failed, yet resolved with ${formatValue(outcome.value)}: a failed load must reach every waiter.`;
    }
    if (waited && outcome.error !== failure.error) {
      return `${who} was waiting for the load of '${key}' that failed with "${formatValue(failure.error)}", but rejected with "${formatValue(outcome.error)}": pass the loader's error on.`;
    }
    if (waited) continue;
    if (outcome.status === 'rejected') {
      return `${who}'s get('${key}') rejected (${formatValue(outcome.error)}) though it began after the failure: a failed load must not be cached.`;
    }
    if (outcome.value !== VALUES[key]) {
      return `${who}'s get('${key}') answered ${formatValue(outcome.value)}, but the loader gives ${formatValue(VALUES[key])}.`;
    }
  }
  return null;
}

/** While 'a' loads (and the explorer holds its load back), a get of 'b' must complete. */
const independentKeys: Scenario<CacheModule> = {
  name: "a get of 'b' while 'a' loads",
  setup(world, mod) {
    let bDone = false;
    const service = new Service(world, (key) =>
      key === 'a' && !bDone
        ? "get('b') could not finish while the load of 'a' was pending: one slow key must not hold up the others."
        : null,
    );
    const c = cache(mod, service);
    return {
      tasks: [
        { label: "t1 get('a')", run: () => c.get('a') },
        { label: "t2 get('b')", run: () => c.get('b') },
      ],
      onSettle(task) {
        if (task === 1) bDone = true;
      },
      check: (outcomes) => checkAnswers(outcomes, ['a', 'b'], service),
    };
  },
  witnesses: [schedule('a0 a1')],
};

/** Every falsy value, each got twice in a row: the second get must come from the cache. */
const falsyValues: Scenario<CacheModule> = {
  name: 'falsy values are cached',
  setup(world, mod) {
    const service = new Service(world);
    const c = cache(mod, service);
    const keys = ['zero', 'empty', 'no', 'nothing', 'missing'];
    return {
      tasks: [
        {
          label: `t1 get each of ${keys.map((k) => `'${k}'`).join(', ')} twice`,
          run: async () => {
            const got: unknown[][] = [];
            for (const key of keys) got.push([await c.get(key), await c.get(key)]);
            return got;
          },
        },
      ],
      check(outcomes) {
        const got = (outcomes[0]?.value ?? []) as unknown[][];
        for (const [i, key] of keys.entries()) {
          const pair = got[i];
          if (pair?.[0] !== VALUES[key] || pair?.[1] !== VALUES[key]) {
            return `two gets of '${key}', which loads ${formatValue(VALUES[key])}, answered ${formatValue(pair)}.`;
          }
        }
        return null;
      },
    };
  },
};

/** A caller that retries from its catch handler, as soon as it sees the failure. */
const retryAfterFailure: Scenario<CacheModule> = {
  name: 'a failed load and an immediate retry',
  maxFailures: 1,
  setup(world, mod) {
    const service = new Service(world);
    const c = cache(mod, service);
    return {
      tasks: [
        {
          label: "t1 get('a'), on failure get('a') again",
          run: async () => {
            try {
              return await c.get('a');
            } catch {
              const retry = c.get('a');
              world.record('retry', ['a'], "get('a')");
              return await retry.catch((error: unknown) => {
                const failure = service.failures.get('a');
                if (error === failure?.error) {
                  world.fail(
                    `t1's retry from its catch handler got the failed load of 'a' again: evict a failed load before its waiters see the failure.`,
                  );
                }
                throw error;
              });
            }
          },
        },
        { label: "t2 get('a')", run: () => c.get('a') },
      ],
      check(outcomes) {
        const [first, second] = outcomes;
        if (first?.status === 'resolved' && first.value !== 'A') {
          return `t1 answered ${formatValue(first.value)}; the loader gives 'A'.`;
        }
        return checkAnswers([second!], ['a'], service);
      },
    };
  },
};

export const check: Check<CacheModule> = {
  exercise: 'cache',
  scenarios: [
    gets('concurrent misses on one key', ['a', 'a'], { witnesses: [schedule('a0 a1')] }),
    independentKeys,
    gets('misses on two keys at once', ['a', 'b', 'a']),
    falsyValues,
    gets('a failed load with two waiters', ['a', 'a', 'a'], { maxFailures: 1 }),
    retryAfterFailure,
    gets('three gets, a newcomer slipping into a release', ['a', 'a', 'a'], {
      newcomers: [2],
      maxFailures: 1,
    }),
  ],
};
