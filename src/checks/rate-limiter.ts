import fc from 'fast-check';
import { formatValue } from '../explorer/format.js';
import type { Scenario, TaskOutcome } from '../explorer/scenario.js';
import { shortName } from '../explorer/stuck.js';
import { EPOCH_MS, type World } from '../explorer/world.js';
import { arrayOf, type Check, callers, exported, isRecord, type Module } from './check.js';

interface Bucket {
  tokens: number;
  refilledAt: number;
}
interface BucketStore {
  get(client: string): Promise<Bucket | undefined>;
  set(client: string, bucket: Bucket): Promise<void>;
}
type Limiter = { tryTake(client: string): Promise<boolean> };

/**
 * The limiter's options in every workload. A token every 10 ms keeps the virtual time between
 * takes short, so a limiter that polls with a timer costs a few steps, not hundreds.
 */
const OPTIONS = { capacity: 2, refillPerSecond: 100 } as const;

const CLIENTS = ['a', 'b'] as const;
type Client = (typeof CLIENTS)[number];

/** One request: its client, and the virtual time (ms) at which it arrives. */
interface Take {
  client: Client;
  at: number;
}

/** Requests of one or two clients; the buckets stored before (a restart); whether a store call may fail. */
export interface RateLimiterWorkload {
  takes: Take[];
  seed: Partial<Record<Client, Bucket>>;
  failures: 0 | 1;
}

/** Answers this close to a token's edge count as on it (the learner's formula may round differently). */
const EPSILON = 1e-9;

/** The bucket's rule: the tokens at `time` of a bucket that held `bucket.tokens` at `bucket.refilledAt`. */
function tokensAt(bucket: Bucket, time: number): number {
  return Math.min(
    OPTIONS.capacity,
    bucket.tokens + ((time - bucket.refilledAt) / 1000) * OPTIONS.refillPerSecond,
  );
}

/** A client never seen has a full bucket, whenever it is looked at. */
const FULL: Bucket = { tokens: OPTIONS.capacity, refilledAt: Number.NEGATIVE_INFINITY };
const start = (seed: Bucket | undefined): Bucket => seed ?? FULL;

/** One take as the run saw it: the virtual times at its call and its answer, and what it answered. */
interface Seen {
  from: number;
  to: number;
  answer: boolean;
}

/**
 * Linearizability with time: an order of one client's takes that respects real time, each at a
 * virtual time within its interval, non-decreasing along the order, in which each answer is the
 * rule's and the bucket ends as the store's. The times tried are `times`: those the clock showed
 * when a take was called or answered, or a store call was made or took effect (a take that reads
 * the clock after its own get, as it must, reads one of those). True when one exists.
 */
function explain(
  takes: readonly number[],
  seen: readonly Seen[],
  before: (i: number, j: number) => boolean,
  initial: Bucket,
  accept: (b: Bucket) => boolean,
  shown: ReadonlySet<number>,
): boolean {
  const times = [...new Set([...shown, ...takes.flatMap((i) => [seen[i]!.from, seen[i]!.to])])].sort(
    (x, y) => x - y,
  );
  const failed = new Set<string>();
  const placed = new Set<number>();
  const search = (bucket: Bucket, last: number): boolean => {
    if (placed.size === takes.length) return accept(bucket);
    const memo = `${[...placed].sort().join(',')}|${bucket.tokens}@${bucket.refilledAt}|${last}`;
    if (failed.has(memo)) return false;
    for (const i of takes) {
      if (placed.has(i) || takes.some((j) => !placed.has(j) && j !== i && before(j, i))) continue;
      const { from, to, answer } = seen[i]!;
      for (const time of times) {
        if (time < Math.max(from, last) || time > to) continue;
        const tokens = tokensAt(bucket, time);
        const granted = tokens >= 1 - EPSILON;
        if (granted !== answer) continue;
        placed.add(i);
        const next = granted ? { tokens: tokens - 1, refilledAt: time } : bucket;
        const found = search(next, time);
        placed.delete(i);
        if (found) return true;
        // A refused take changes nothing: its earliest time is as good as any later one.
        if (!granted) break;
      }
    }
    failed.add(memo);
    return false;
  };
  return search(initial, Number.NEGATIVE_INFINITY);
}

interface Failed {
  task: number;
  op: 'store.get' | 'store.set';
  error: unknown;
}

function scenario(workload: RateLimiterWorkload): Scenario<Module> {
  const { takes, seed } = workload;
  const both = CLIENTS.every((c) => takes.some((t) => t.client === c));
  return {
    name: describe(workload),
    maxFailures: workload.failures,
    setup(world: World, mod) {
      const RateLimiter = exported<new (store: BucketStore, options: typeof OPTIONS) => Limiter>(
        mod,
        'RateLimiter',
        'the class',
      );
      // The learner's Date.now() is EPOCH_MS plus the virtual time; the workload counts from 0.
      const data = new Map<string, Bucket>(
        Object.entries(seed).map(([c, b]) => [c, { tokens: b.tokens, refilledAt: EPOCH_MS + b.refilledAt }]),
      );
      const failed: Failed[] = [];
      const shown = new Set<number>();
      const seen: Seen[] = takes.map(() => ({ from: 0, to: 0, answer: false }));
      const settled = new Set<number>();
      const name = (i: number) => `t${i + 1}`;
      const bSettled = () => takes.every((t, i) => t.client !== 'b' || settled.has(i));
      const heldBack = (task: number) => () =>
        both && takes[task]?.client === 'a' && !bSettled()
          ? `a request of client 'b' never finished while ${name(task)}'s request of client 'a' was under way: one client's requests must never wait for another client's.`
          : null;
      const fallible = <T>(op: Failed['op'], task: number, promise: Promise<T>) => {
        promise.catch((error: unknown) => {
          failed.push({ task, op, error });
        });
        return promise;
      };
      const store: BucketStore = {
        get: (client) => {
          const task = world.task();
          shown.add(world.now);
          return fallible(
            'store.get',
            task,
            world.op(
              'store.get',
              [client],
              () => {
                shown.add(world.now);
                const bucket = data.get(client);
                return bucket ? { ...bucket } : undefined;
              },
              {
                fallible: true,
                heldBack: heldBack(task),
                touches: [{ object: 'store', key: client, write: false }],
              },
            ),
          );
        },
        set: (client, bucket) => {
          const task = world.task();
          const copy = { tokens: bucket?.tokens, refilledAt: bucket?.refilledAt } as Bucket;
          shown.add(world.now);
          return fallible(
            'store.set',
            task,
            world.op(
              'store.set',
              [client, copy],
              () => {
                shown.add(world.now);
                data.set(client, copy);
              },
              {
                fallible: true,
                describe: () => 'ok',
                heldBack: heldBack(task),
                touches: [{ object: 'store', key: client, write: true }],
              },
            ),
          );
        },
      };
      const limiter = new RateLimiter(store, { ...OPTIONS });
      return {
        tasks: takes.map((take, i) => ({
          label: `${name(i)} tryTake('${take.client}') at ${take.at} ms`,
          at: take.at,
          run: () => {
            seen[i]!.from = world.now;
            return limiter.tryTake(take.client);
          },
          // Takes of one client show their order by their answers; two clients' buckets never meet.
          realTime: { arrive: [`take:${take.client}`], settle: [`take:${take.client}`] },
        })),
        onSettle(task, outcomes) {
          settled.add(task);
          seen[task]!.to = world.now;
          seen[task]!.answer = outcomes[task]!.value === true;
        },
        check: (outcomes) => checkRun(outcomes, workload, seen, failed, data, world.now, shown),
      };
    },
  };
}

function checkRun(
  outcomes: readonly TaskOutcome[],
  workload: RateLimiterWorkload,
  seen: readonly Seen[],
  failed: readonly Failed[],
  data: ReadonlyMap<string, Bucket>,
  now: number,
  shown: ReadonlySet<number>,
): string | null {
  const { takes, seed } = workload;
  const name = (task: number) => shortName(outcomes, task);
  for (const [i, outcome] of outcomes.entries()) {
    const own = failed.filter((f) => f.task === i);
    if (outcome.status === 'rejected') {
      if (own.some((f) => f.error === outcome.error)) continue;
      return own.length
        ? `${name(i)}'s ${own[0]!.op} failed with ${formatValue(own[0]!.error)}, but tryTake rejected with ${formatValue(outcome.error)}: reject with the store's own error.`
        : `${name(i)}'s tryTake threw ${formatValue(outcome.error)}, though none of its own store calls failed.`;
    }
    if (outcome.status !== 'resolved') continue;
    if (own.length) {
      return `${name(i)}'s ${own[0]!.op} failed with ${formatValue(own[0]!.error)}, yet its tryTake resolved with ${formatValue(outcome.value)}: a failed store call must reject the request, with the same error.`;
    }
    if (typeof outcome.value !== 'boolean') {
      return `${name(i)}'s tryTake resolved with ${formatValue(outcome.value)}: answer true or false.`;
    }
  }
  for (const client of CLIENTS) {
    const mine = takes.flatMap((t, i) =>
      t.client === client && outcomes[i]!.status === 'resolved' ? [i] : [],
    );
    if (!takes.some((t) => t.client === client)) continue;
    const before = (j: number, i: number) => outcomes[j]!.settledAt < outcomes[i]!.arrivedAt;
    const kept = data.get(client);
    const stored = kept && { tokens: kept.tokens, refilledAt: kept.refilledAt - EPOCH_MS };
    const storedNow = stored ? tokensAt(stored, now) : OPTIONS.capacity;
    if (!Number.isFinite(storedNow)) {
      return `the store holds ${formatValue(stored)} for client '${client}': a bucket is { tokens, refilledAt } with numbers.`;
    }
    const accept = (bucket: Bucket) => Math.abs(tokensAt(bucket, now) - storedNow) < 1e-6;
    if (explain(mine, seen, before, start(seed[client]), accept, shown)) continue;
    const answers = mine
      .map((i) => `${name(i)} → ${seen[i]!.answer} (${seen[i]!.from}–${seen[i]!.to} ms)`)
      .join(', ');
    const rightAnswers = explain(mine, seen, before, start(seed[client]), () => true, shown);
    return rightAnswers
      ? `no order of client '${client}''s takes, one at a time, each at a moment between its call and its answer, explains both their answers (${answers}) and the store's bucket, which refilled to ${now} ms holds ${round(storedNow)} tokens: a take was refused while a token was there, spent a token the store never saw, or wrote over another take's bucket (the store is what a restart resumes from).`
      : `no order of client '${client}''s takes, one at a time, each at a moment between its call and its answer, gives ${answers}: ${mine.filter((i) => seen[i]!.answer).length} tokens granted from a bucket of capacity ${OPTIONS.capacity} refilled at ${OPTIONS.refillPerSecond} a second${seed[client] ? ` that held ${round(seed[client]!.tokens)} at ${seed[client]!.refilledAt} ms` : ''} — takes that read the bucket before another's write landed each spent the same token, or a take was refused while a token was there.`;
  }
  return null;
}

const round = (n: number) => String(Math.round(n * 1000) / 1000);

function describe(workload: RateLimiterWorkload): string {
  const seeded = Object.entries(workload.seed).map(
    ([client, b]) => `client '${client}' stored with ${round(b.tokens)} tokens at ${b.refilledAt} ms`,
  );
  return [
    callers(workload.takes.map((t) => `tryTake('${t.client}') at ${t.at} ms`)),
    `capacity ${OPTIONS.capacity}, ${OPTIONS.refillPerSecond} tokens a second`,
    ...seeded,
    ...(workload.failures ? ['one store call may fail'] : []),
  ].join('; ');
}

const take = (at: number, client: Client = 'a'): Take => ({ client, at });

const EXAMPLES: RateLimiterWorkload[] = [
  // A burst of capacity + 1 at one instant: exactly capacity trues.
  { takes: [take(0), take(0), take(0)], seed: {}, failures: 0 },
  // An empty bucket: half a token at 5 ms, a whole one at 10 ms (a fraction counts towards the next).
  { takes: [take(0), take(5), take(10)], seed: { a: { tokens: 0, refilledAt: 0 } }, failures: 0 },
  // A take waits while the clock moves on, and another arriving later may get in first.
  { takes: [take(0), take(0), take(10)], seed: {}, failures: 0 },
  // A restart: the bucket comes from the store, not from a fresh full one.
  { takes: [take(5), take(5)], seed: { a: { tokens: 0.5, refilledAt: 0 } }, failures: 0 },
  { takes: [take(0), take(0)], seed: {}, failures: 1 },
  { takes: [take(0), take(0), take(10)], seed: { a: { tokens: 1, refilledAt: 0 } }, failures: 1 },
  // Two clients: b never waits for a.
  { takes: [take(0), take(0, 'b'), take(0)], seed: {}, failures: 0 },
];

const isBucket = (x: unknown): x is Bucket =>
  isRecord(x) && typeof x.tokens === 'number' && typeof x.refilledAt === 'number';
const isTake = (x: unknown): x is Take =>
  isRecord(x) && CLIENTS.includes(x.client as Client) && Number.isInteger(x.at) && (x.at as number) >= 0;

const arbitrary: fc.Arbitrary<RateLimiterWorkload> = fc.record({
  takes: fc
    .array(
      fc.record({ client: fc.constantFrom<Client>('a', 'a', 'b'), at: fc.constantFrom(0, 0, 5, 10, 20) }),
      { minLength: 2, maxLength: 3 },
    )
    .map((list) => list.sort((x, y) => x.at - y.at)),
  seed: fc.record(
    { a: fc.record({ tokens: fc.constantFrom(0, 0.5, 1, 2), refilledAt: fc.constant(0) }) },
    { requiredKeys: [] },
  ),
  failures: fc.constantFrom<0 | 1>(0, 0, 1),
});

export const check: Check<RateLimiterWorkload> = {
  exercise: 'rate-limiter',
  version: 1,
  workloads: {
    arbitrary,
    examples: EXAMPLES,
    generated: 3,
    describe,
    parse(value) {
      if (!isRecord(value) || !arrayOf(value.takes, isTake, 1, 4)) return null;
      if (
        !isRecord(value.seed) ||
        !Object.entries(value.seed).every(([c, b]) => CLIENTS.includes(c as Client) && isBucket(b))
      ) {
        return null;
      }
      if (value.failures !== 0 && value.failures !== 1) return null;
      return {
        takes: value.takes,
        seed: value.seed as RateLimiterWorkload['seed'],
        failures: value.failures,
      };
    },
  },
  scenario,
  // A limiter that polls with a timer has many interleavings; the cut keeps a pass near a second.
  budget: { maxSchedules: 30, random: 3 },
};
