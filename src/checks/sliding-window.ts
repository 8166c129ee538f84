import fc from 'fast-check';
import { formatValue } from '../explorer/format.js';
import type { Scenario, TaskOutcome } from '../explorer/scenario.js';
import { shortName } from '../explorer/stuck.js';
import { EPOCH_MS } from '../explorer/world.js';
import { holdTimer } from '../redis/session.js';
import {
  arrayOf,
  type Check,
  callers,
  exported,
  isRecord,
  type Module,
  unexplainedRejection,
} from './check.js';
import { REDIS_BUDGET, servers } from './redis-check.js';

/**
 * The window of every workload, in ms. Not a whole number of seconds, so an expiry given in seconds
 * (EXPIRE, rounded) is caught; EPOCH_MS is a multiple of it, so a fixed window starts at t = 0.
 */
const WINDOW = 1500;

const USERS = ['a', 'b'] as const;
type User = (typeof USERS)[number];

/** One request: the user, the API server that takes it, and the virtual time (ms) it arrives at. */
interface Request {
  user: User;
  server: number;
  at: number;
}

export interface SlidingWindowWorkload {
  limit: 1 | 2;
  requests: Request[];
}

interface LimiterClass {
  new (
    redis: unknown,
    options: { limit: number; windowMs: number; server: string },
  ): { allow(user: string): Promise<unknown> };
}

const serverName = (server: number) => `server-${server + 1}`;
const keyOf = (user: string) => `ratelimit:${user}`;

function describe({ limit, requests }: SlidingWindowWorkload): string {
  return `${callers(requests.map((r) => `allow('${r.user}') on ${serverName(r.server)} at ${r.at} ms`))}; limit ${limit} in ${WINDOW} ms`;
}

/** One request as the run saw it: virtual times (ms) at its call and at its answer, and the answer. */
interface Seen {
  from: number;
  to: number;
  admitted: boolean;
}

/**
 * The sequential model: a request at time t is admitted when fewer than `limit` requests were
 * admitted at times in (t - WINDOW, t]; a refused request changes nothing.
 */
const hasRoom = (admitted: readonly number[], time: number, limit: number) =>
  admitted.filter((a) => a > time - WINDOW).length < limit;

/**
 * Linearizability with time: an order of one user's requests that respects real time (one that
 * answered before another was called comes first), each at a virtual time within its call and its
 * answer, non-decreasing along the order, in which the model gives every answer. With `onlyAdmitted`,
 * a refusal needs no reason (it asks: could the admitted ones all have been admitted?).
 */
function explains(
  mine: readonly number[],
  seen: readonly Seen[],
  before: (j: number, i: number) => boolean,
  limit: number,
  onlyAdmitted: boolean,
): boolean {
  const times = [...new Set(mine.flatMap((i) => [seen[i]!.from, seen[i]!.to]))].sort((x, y) => x - y);
  const placed = new Set<number>();
  const failed = new Set<string>();
  const search = (admitted: number[], last: number): boolean => {
    if (placed.size === mine.length) return true;
    const memo = `${[...placed].sort().join(',')}|${admitted.join(',')}|${last}`;
    if (failed.has(memo)) return false;
    for (const i of mine) {
      if (placed.has(i) || mine.some((j) => !placed.has(j) && j !== i && before(j, i))) continue;
      const { from, to, admitted: answer } = seen[i]!;
      for (const time of times) {
        if (time < Math.max(from, last) || time > to) continue;
        const room = hasRoom(admitted, time, limit);
        if (answer && !room) continue;
        if (!answer && room && !onlyAdmitted) continue;
        placed.add(i);
        const found = search(answer ? [...admitted, time] : admitted, time);
        placed.delete(i);
        if (found) return true;
      }
    }
    failed.add(memo);
    return false;
  };
  return search([], Number.NEGATIVE_INFINITY);
}

function scenario(workload: SlidingWindowWorkload): Scenario<Module> {
  const { limit, requests } = workload;
  const count = Math.max(...requests.map((r) => r.server)) + 1;
  return {
    name: describe(workload),
    async setup(world, mod, another) {
      /** Requests answered so far, in order. */
      const answered: number[] = [];
      /** Each key's expiries: the virtual time (ms) of the command that found it expired, and the requests answered by then. */
      const expiries: { key: string; at: number; after: number[] }[] = [];
      /** Requests called and not yet answered: no lease runs out while one is under way. */
      let underWay = 0;
      const { session, modules, ports } = await servers(world, mod, another, count, {
        mayExpire: () => underWay === 0,
        observe: (seen) => {
          for (const key of seen.expired) expiries.push({ key, at: world.now, after: [...answered] });
        },
      });
      const limiters = modules.map((m, i) => {
        const Limiter = exported<LimiterClass>(m, 'RateLimiter', 'the class');
        return new Limiter(ports[i], { limit, windowMs: WINDOW, server: serverName(i) });
      });
      const seen: Seen[] = requests.map(() => ({ from: 0, to: 0, admitted: false }));
      /**
       * A request comes at its time, a timer's firing: the clock moves to it only while no request is
       * under way (time moves only between requests, as the statement says), so no request's
       * Date.now() is stale by the time its commands run.
       */
      const arrival = (i: number, at: number) =>
        new Promise<void>((resolve) => {
          const timer = world.timer(`t${i + 1}'s request at ${at} ms`, at - world.now, resolve, false);
          holdTimer(world, timer, () => underWay === 0 || at <= world.now);
        });
      return {
        tasks: requests.map((request, i) => ({
          label: `t${i + 1} allow('${request.user}') on ${serverName(request.server)} at ${request.at} ms`,
          run: async () => {
            await arrival(i, request.at);
            underWay++;
            seen[i]!.from = world.now;
            return limiters[request.server]!.allow(request.user);
          },
        })),
        onSettle(task, outcomes) {
          underWay--;
          answered.push(task);
          seen[task]!.to = world.now;
          seen[task]!.admitted = outcomes[task]!.value === true;
        },
        async check(outcomes) {
          const answers = judgeAnswers(outcomes, workload, seen);
          if (answers) return answers;
          for (const user of USERS) {
            const key = keyOf(user);
            const admitted = requests.flatMap((r, i) => (r.user === user && seen[i]!.admitted ? [i] : []));
            if (admitted.length === 0) continue;
            const name = (i: number) => shortName(outcomes, i);
            // Early: the key went while a request it held, already answered, was still in the window.
            for (const expiry of expiries.filter((e) => e.key === key)) {
              const inside = admitted.find(
                (i) => expiry.after.includes(i) && expiry.at < seen[i]!.from + WINDOW,
              );
              if (inside !== undefined) {
                return `${key} expired by t=${expiry.at} ms, while ${name(inside)}'s request (admitted at ${seen[inside]!.from} ms) was still in its ${WINDOW} ms window: the limiter forgets it and admits too many. Give the key an expiry of at least the window, in ms (PEXPIRE key windowMs).`;
              }
            }
            const deadline = await session.deadline(key);
            if (deadline === null) {
              return `no key forever: ${key} is left with no expiry — a user who goes quiet leaves it in Redis for good. Set its expiry (PEXPIRE key windowMs) in the same step that adds a request.`;
            }
            const last = Math.max(...admitted.map((i) => seen[i]!.from));
            if (deadline !== undefined && deadline - EPOCH_MS < last + WINDOW) {
              return `${key} expires at t=${deadline - EPOCH_MS} ms, while the request admitted at ${last} ms is in the window until ${last + WINDOW} ms: the limiter will forget it too early. Give the key an expiry of at least the window, in ms (PEXPIRE key windowMs).`;
            }
          }
          return null;
        },
      };
    },
  };
}

/** Every request answered true or false, and one at a time, in some order, gives those answers. */
function judgeAnswers(
  outcomes: readonly TaskOutcome[],
  { limit, requests }: SlidingWindowWorkload,
  seen: readonly Seen[],
): string | null {
  const unexplained = unexplainedRejection(outcomes, false);
  if (unexplained) return `${unexplained} allow must not reject.`;
  const name = (i: number) => shortName(outcomes, i);
  for (const [i, outcome] of outcomes.entries()) {
    if (outcome.status === 'resolved' && typeof outcome.value !== 'boolean') {
      return `${name(i)}'s allow answered ${formatValue(outcome.value)}: it answers true or false.`;
    }
  }
  const before = (j: number, i: number) => outcomes[j]!.settledAt < outcomes[i]!.arrivedAt;
  for (const user of USERS) {
    const mine = requests.flatMap((r, i) =>
      r.user === user && outcomes[i]!.status === 'resolved' ? [i] : [],
    );
    if (mine.length === 0 || explains(mine, seen, before, limit, false)) continue;
    const answers = mine
      .map(
        (i) =>
          `${name(i)} ${seen[i]!.admitted ? 'admitted' : 'refused'} (${seen[i]!.from}–${seen[i]!.to} ms)`,
      )
      .join(', ');
    if (!explains(mine, seen, before, limit, true)) {
      return `more requests admitted than the limit: ${answers} — user '${user}' may make ${limit} in any ${WINDOW} ms (a request admitted exactly ${WINDOW} ms earlier no longer counts). Counting and adding are separate steps here, or the count misses requests: make "trim, count, add if there is room" one atomic step (a Lua script, or WATCH + MULTI retried).`;
    }
    return `a request refused while the window had room: ${answers} — no order of user '${user}''s requests, one at a time, refuses that one (limit ${limit} in ${WINDOW} ms; one admitted exactly ${WINDOW} ms earlier no longer counts, and a refused request takes no room). Refuse only when ${limit} admitted requests are in the window, retry a transaction that lost a race, and add nothing for a refused request.`;
  }
  return null;
}

const request = (at: number, server = 0, user: User = 'a'): Request => ({ user, server, at });

const EXAMPLES: SlidingWindowWorkload[] = [
  // A burst over the limit across three servers: exactly `limit` admitted.
  { limit: 2, requests: [request(0, 0), request(0, 1), request(0, 2)] },
  // Two servers at once with room for both: neither may be refused.
  { limit: 2, requests: [request(0, 0), request(0, 1)] },
  // The boundary: a request exactly one window later has room again.
  { limit: 1, requests: [request(0, 0), request(WINDOW, 1)] },
  // The boundary again, where the key's expiry does not hide it: the request at 0 ms has left the
  // window at 1500 ms, the one at 750 ms has not.
  { limit: 2, requests: [request(0, 0), request(750, 1), request(WINDOW, 0)] },
  // A refused request in between must not take room from the one after the window.
  { limit: 1, requests: [request(0, 0), request(750, 1), request(WINDOW, 0)] },
  // Inside the window, though a whole second has passed: still refused.
  { limit: 1, requests: [request(0, 0), request(1200, 1)] },
  // A sliding window, not a fixed one: a window boundary at t = 1500 does not reset the count.
  { limit: 1, requests: [request(1000, 0), request(WINDOW, 1)] },
  // Users are independent.
  { limit: 1, requests: [request(0, 0), request(0, 1, 'b')] },
];

const isRequest = (x: unknown): x is Request =>
  isRecord(x) &&
  USERS.includes(x.user as User) &&
  Number.isInteger(x.server) &&
  (x.server as number) >= 0 &&
  (x.server as number) < 3 &&
  Number.isInteger(x.at) &&
  (x.at as number) >= 0 &&
  (x.at as number) <= 10 * WINDOW;

export const check: Check<SlidingWindowWorkload> = {
  exercise: 'sliding-window',
  version: 1,
  workloads: {
    arbitrary: fc.record({
      limit: fc.constantFrom<1 | 2>(1, 2),
      requests: fc
        .array(
          fc.record({
            user: fc.constantFrom<User>('a', 'a', 'b'),
            server: fc.integer({ min: 0, max: 2 }),
            at: fc.constantFrom(0, 0, 750, 1499, WINDOW),
          }),
          { minLength: 2, maxLength: 3 },
        )
        .map((list) => list.sort((x, y) => x.at - y.at)),
    }),
    examples: EXAMPLES,
    generated: 2,
    describe,
    parse(value) {
      if (!isRecord(value) || (value.limit !== 1 && value.limit !== 2)) return null;
      if (!arrayOf(value.requests, isRequest, 1, 4)) return null;
      return { limit: value.limit, requests: value.requests };
    },
  },
  scenario,
  budget: REDIS_BUDGET,
};
