import fc from 'fast-check';
import { formatValue } from '../explorer/format.js';
import type { Scenario, TaskOutcome } from '../explorer/scenario.js';
import { shortName } from '../explorer/stuck.js';
import type { World } from '../explorer/world.js';
import { arrayOf, type Check, callers, exported, isRecord, type Module } from './check.js';

interface User {
  id: string;
  name: string;
}
interface Ports {
  sessions: { userFor(token: string): Promise<User> };
  orders: { listFor(userId: string): Promise<string[]> };
  audit: { record(userId: string, action: string): Promise<void> };
}
type OrdersPage = (ports: Ports, token: string) => Promise<unknown>;

/** Whose session token a request carries; `nobody`'s token belongs to no session. */
const WHO = ['alice', 'bob', 'nobody'] as const;
type Who = (typeof WHO)[number];

const USERS: Record<Exclude<Who, 'nobody'>, User> = {
  alice: { id: 'u1', name: 'Alice' },
  bob: { id: 'u2', name: 'Bob' },
};
const ORDERS: Record<string, readonly string[]> = { u1: ['A-1001', 'A-1002'], u2: ['B-2001'] };
const ACTION = 'viewed orders';
const token = (who: Who) => `tok-${who}`;
const userOf = (who: Who): User | null => (who === 'nobody' ? null : USERS[who]);
const nameOf = (id: string) =>
  Object.values(USERS).find((u) => u.id === id)?.name ?? `nobody (id ${formatValue(id)})`;

/** Requests for the "My orders" page, and whether one listFor or record call may fail. */
export interface RequestContextWorkload {
  requests: Who[];
  failures: 0 | 1;
}

/** What one request's port calls did, as the check saw them. */
interface Seen {
  /** What listFor answered for this request (a fresh array per call). */
  listed: string[] | null;
  /** audit.record calls that took effect. */
  recorded: number;
  /** The error an injected failure or the sessions port rejected this request's call with. */
  errors: unknown[];
}

/**
 * Every port call is attributed to the request whose async context made it (the explorer knows):
 * a call carrying another user's id, a call after an unknown token, or a second audit record breaks
 * the rule there and then. When a request resolves, its audit record must have taken effect.
 */
function scenario(workload: RequestContextWorkload): Scenario<Module> {
  const { requests } = workload;
  return {
    name: describe(workload),
    maxFailures: workload.failures,
    setup(world: World, mod) {
      const ordersPage = exported<OrdersPage>(mod, 'ordersPage', 'the function');
      const seen: Seen[] = requests.map(() => ({ listed: null, recorded: 0, errors: [] }));
      const name = (i: number) => `t${i + 1}`;
      const whose = (i: number) => {
        const user = userOf(requests[i]!);
        return user
          ? `${user.name}'s (token '${token(requests[i]!)}')`
          : `for token '${token('nobody')}', which is nobody's`;
      };
      /** The request making the call now, or null (with the rule broken) when it is none. */
      const caller = (call: string): number | null => {
        const task = world.task();
        if (task >= 0 && task < requests.length) return task;
        world.fail(
          `${call} was made outside any request: every port call must belong to the request it serves.`,
        );
        return null;
      };
      const forUser = (call: string, task: number, userId: string) => {
        const user = userOf(requests[task]!);
        if (!user) {
          world.fail(
            `${name(task)}'s request is ${whose(task)}, yet it went on to call ${call} for ${nameOf(userId)}: after userFor rejects, reject at once — never fall back to another request's user.`,
          );
        } else if (userId !== user.id) {
          world.fail(
            `${name(task)}'s request is ${whose(task)}, yet it called ${call} with ${nameOf(userId)}'s id ${formatValue(userId)}: another request's user leaked into it.`,
          );
        }
      };
      const watch = <T>(task: number | null, promise: Promise<T>): Promise<T> => {
        if (task !== null) {
          promise.catch((error: unknown) => {
            seen[task]!.errors.push(error);
          });
        }
        return promise;
      };

      const ports: Ports = {
        sessions: {
          userFor: (tok) => {
            const task = caller(`sessions.userFor(${formatValue(tok)})`);
            const who = WHO.find((w) => token(w) === tok);
            const user = who ? userOf(who) : null;
            return watch(
              task,
              world.op(
                'sessions.userFor',
                [tok],
                () => {
                  if (!user) throw new Error(`no session for token ${formatValue(tok)}`);
                  return { ...user };
                },
                { touches: [{ object: 'sessions', key: String(tok), write: false }] },
              ),
            );
          },
        },
        orders: {
          listFor: (userId) => {
            const call = `orders.listFor(${formatValue(userId)})`;
            const task = caller(call);
            if (task !== null) forUser(call, task, userId);
            return watch(
              task,
              world.op(
                'orders.listFor',
                [userId],
                () => {
                  const listed = [...(ORDERS[userId] ?? [])];
                  if (task !== null) seen[task]!.listed = listed;
                  return listed;
                },
                { fallible: true, touches: [{ object: 'orders', key: String(userId), write: false }] },
              ),
            );
          },
        },
        audit: {
          record: (userId, action) => {
            const call = `audit.record(${formatValue(userId)}, ${formatValue(action)})`;
            const task = caller(call);
            if (task !== null) {
              forUser(call, task, userId);
              if (action !== ACTION) {
                world.fail(`${name(task)} called ${call}: the audit action is ${formatValue(ACTION)}.`);
              }
            }
            return watch(
              task,
              world.op(
                'audit.record',
                [userId, action],
                () => {
                  if (task === null) return;
                  seen[task]!.recorded++;
                  if (seen[task]!.recorded > 1) {
                    world.fail(
                      `${name(task)}'s request wrote a second audit record: one page view is exactly one record.`,
                    );
                  }
                },
                {
                  fallible: true,
                  describe: () => 'ok',
                  touches: [{ object: 'audit', key: String(userId), write: true }],
                },
              ),
            );
          },
        },
      };

      return {
        tasks: requests.map((who, i) => ({
          label: `${name(i)} ordersPage('${token(who)}')`,
          run: () => ordersPage(ports, token(who)),
          // No answer shows the order of two requests: each is judged on its own.
          realTime: { arrive: [], settle: [] },
        })),
        onSettle(task, outcomes) {
          const outcome = outcomes[task]!;
          if (outcome.status === 'resolved' && seen[task]!.recorded === 0 && userOf(requests[task]!)) {
            world.fail(
              `${name(task)}'s ordersPage resolved before its audit.record had been written: the page view must be recorded before the page is returned (await it).`,
            );
          }
        },
        check: (outcomes) => checkPages(outcomes, requests, seen),
      };
    },
  };
}

/** Each page greets its own user and lists what listFor answered; each rejection is the request's own error. */
function checkPages(
  outcomes: readonly TaskOutcome[],
  requests: readonly Who[],
  seen: readonly Seen[],
): string | null {
  for (const [i, outcome] of outcomes.entries()) {
    const who = shortName(outcomes, i);
    const user = userOf(requests[i]!);
    const own = seen[i]!.errors;
    if (outcome.status === 'rejected') {
      if (own.includes(outcome.error)) continue;
      return own.length
        ? `${who}'s ${own.length === 1 ? 'port call' : 'port calls'} rejected with ${formatValue(own[0])}, but ordersPage rejected with ${formatValue(outcome.error)}: reject with the port's own error.`
        : `${who}'s ordersPage threw ${formatValue(outcome.error)}, though none of its own port calls failed.`;
    }
    if (outcome.status !== 'resolved') continue;
    if (!user) {
      return `${who}'s token belongs to nobody (sessions.userFor rejected), yet ordersPage resolved with ${formatValue(outcome.value)}: reject with the sessions' error.`;
    }
    if (own.length) {
      return `${who}'s port call rejected with ${formatValue(own[0])}, yet ordersPage resolved with a page: a failed listFor or record must reject the request with that error.`;
    }
    const page = outcome.value as { greeting?: unknown; orders?: unknown } | null;
    const greeting = `Hello, ${user.name}`;
    if (page?.greeting !== greeting) {
      return `${who}'s request is ${user.name}'s, yet its page says ${formatValue(page?.greeting)}: it should say ${formatValue(greeting)}.`;
    }
    const listed = seen[i]!.listed;
    const orders = page.orders;
    if (!Array.isArray(orders) || listed === null || orders.join('\n') !== listed.join('\n')) {
      return `${who}'s request is ${user.name}'s, yet its page lists ${formatValue(orders)} where orders.listFor answered ${formatValue(listed ?? ORDERS[user.id])} for ${user.name}: show exactly the orders listed for this request's user.`;
    }
  }
  return null;
}

function describe(workload: RequestContextWorkload): string {
  return [
    callers(workload.requests.map((who) => `ordersPage('${token(who)}')`)),
    "'tok-alice' is Alice's, 'tok-bob' Bob's, 'tok-nobody' nobody's",
    ...(workload.failures ? ['one listFor or record may fail'] : []),
  ].join('; ');
}

const EXAMPLES: RequestContextWorkload[] = [
  { requests: ['alice', 'bob'], failures: 0 },
  { requests: ['alice', 'alice'], failures: 0 },
  { requests: ['alice', 'nobody'], failures: 0 },
  { requests: ['nobody', 'bob'], failures: 0 },
  { requests: ['alice', 'bob'], failures: 1 },
  { requests: ['alice', 'alice'], failures: 1 },
  { requests: ['alice', 'bob', 'alice'], failures: 0 },
];

const arbitrary: fc.Arbitrary<RequestContextWorkload> = fc.record({
  requests: fc.array(fc.constantFrom<Who>('alice', 'bob', 'bob', 'nobody'), { minLength: 2, maxLength: 3 }),
  failures: fc.constantFrom<0 | 1>(0, 1),
});

export const check: Check<RequestContextWorkload> = {
  exercise: 'request-context',
  version: 1,
  workloads: {
    arbitrary,
    examples: EXAMPLES,
    generated: 3,
    describe,
    parse(value) {
      if (!isRecord(value) || !arrayOf(value.requests, (x): x is Who => WHO.includes(x as Who), 1, 3))
        return null;
      if (value.failures !== 0 && value.failures !== 1) return null;
      return { requests: value.requests, failures: value.failures };
    },
  },
  scenario,
};
