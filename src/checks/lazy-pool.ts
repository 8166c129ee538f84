import fc from 'fast-check';
import { formatValue } from '../explorer/format.js';
import type { Scenario, TaskOutcome } from '../explorer/scenario.js';
import { shortName } from '../explorer/stuck.js';
import type { World } from '../explorer/world.js';
import { arrayOf, type Check, callers, exported, isRecord, type Module } from './check.js';

interface Pool {
  query(sql: string): Promise<unknown[]>;
  end(): Promise<void>;
}
type Database = { query(sql: string): Promise<unknown[]>; close(): Promise<void> };

/**
 * A caller: `query` runs one query; `retry` runs one and, if it rejects, runs it again from its
 * `catch` (as a caller that saw the database down for a moment would); `close` shuts down.
 */
type Call = 'query' | 'retry' | 'close';
const CALLS: readonly Call[] = ['query', 'retry', 'close'];

/** Callers of one Database, and whether one connect, query or end may fail. */
export interface LazyPoolWorkload {
  calls: Call[];
  failures: 0 | 1;
}

/** One pool that connect() delivered: whether end() was called, and whether it has settled. */
interface Opened {
  endCalls: number;
  ended: boolean;
}

/** An error a port call rejected with, and the caller whose call it was. */
interface Failed {
  task: number;
  op: 'connect' | 'pool.query' | 'pool.end';
  error: unknown;
}

/**
 * The rules watched as the calls run: one connect in flight at a time and none while a pool is
 * open; no query to an ended pool; no end twice; nothing called for a query made after close; every
 * pool delivered, or being opened, is ended by the time a close resolves.
 */
function scenario(workload: LazyPoolWorkload): Scenario<Module> {
  const { calls } = workload;
  return {
    name: describe(workload),
    maxFailures: workload.failures,
    setup(world: World, mod) {
      const DatabaseClass = exported<new (connect: () => Promise<Pool>) => Database>(
        mod,
        'Database',
        'the class',
      );
      const name = (i: number) => `t${i + 1}`;
      const pools: Opened[] = [];
      const failed: Failed[] = [];
      /** What each query task's pool.query answered (the rows array itself). */
      const answers = new Map<number, unknown>();
      let connecting = 0;
      let closeCalled = false;
      /** Tasks called after a close was: they may call nothing. */
      const late = new Set<number>();
      const closedBefore = new Set<number>();
      let connects = 0;

      const caller = () => world.task();
      const noteFailure = <T>(op: Failed['op'], task: number, promise: Promise<T>) => {
        promise.catch((error: unknown) => {
          failed.push({ task, op, error });
        });
        return promise;
      };
      const forbidLate = (task: number, what: string) => {
        if (late.has(task)) {
          world.fail(
            `${name(task)}'s query was called after close(), yet it called ${what}: after close, a query rejects and calls neither connect nor the pool.`,
          );
        }
      };

      const makePool = (k: number): Pool => {
        const pool: Opened = { endCalls: 0, ended: false };
        pools.push(pool);
        return {
          query: (sql) => {
            const task = caller();
            forbidLate(task, `pool ${k}'s query`);
            if (pool.endCalls > 0) {
              world.fail(
                `${name(task)} sent ${formatValue(sql)} to pool ${k} after its end() was called: no query may use a pool that is being ended.`,
              );
            }
            const rows = [`${sql} on pool ${k}`];
            const sent = world.op(
              `pool${k}.query`,
              [sql],
              () => {
                answers.set(task, rows);
                return rows;
              },
              { fallible: true, touches: [{ object: 'pool', key: String(k), write: false }] },
            );
            return noteFailure('pool.query', task, sent);
          },
          end: () => {
            const task = caller();
            pool.endCalls++;
            if (pool.endCalls > 1) {
              world.fail(`pool ${k}'s end() was called a second time: each pool is ended exactly once.`);
            }
            const ended = world.op(`pool${k}.end`, [], () => undefined, {
              fallible: true,
              describe: () => 'ok',
              touches: [{ object: 'pool', key: String(k), write: true }],
            });
            const settle = () => {
              pool.ended = true;
            };
            ended.then(settle, settle);
            return noteFailure('pool.end', task, ended);
          },
        };
      };

      const connect = (): Promise<Pool> => {
        const task = caller();
        forbidLate(task, 'connect()');
        if (connecting > 0) {
          world.fail(
            `${name(task)}'s query called connect() while another connect() was still in flight: every query that needs the pool while it is being opened must wait for that same connect (or pools leak).`,
          );
        }
        const open = pools.findIndex((p) => p.endCalls === 0);
        if (open >= 0) {
          world.fail(
            `${name(task)}'s query called connect() though pool ${open + 1} was open and never ended: a second pool replaces the first, whose connections leak.`,
          );
        }
        connecting++;
        const k = ++connects;
        const opened = world.op('connect', [], () => makePool(k), {
          fallible: true,
          describe: () => `pool ${k}`,
          touches: [{ object: 'db', key: 'pools', write: true }],
        });
        const settle = () => {
          connecting--;
        };
        opened.then(settle, settle);
        return noteFailure('connect', task, opened);
      };

      const db = new DatabaseClass(connect);
      const run = (call: Call, i: number): Promise<unknown> => {
        world.access('db', 'closed', call === 'close');
        if (call === 'close') {
          closeCalled = true;
          return db.close();
        }
        if (closeCalled) late.add(i);
        const sql = `select ${i + 1}`;
        const first = db.query(sql);
        return call === 'query' ? first : first.catch(() => db.query(sql));
      };

      return {
        tasks: calls.map((call, i) => ({
          label: `${name(i)} ${describeCall(call)}`,
          run: () => run(call, i),
          // No answer shows the order of two calls; the arrival of a close is watched above.
          realTime: { arrive: [], settle: [] },
        })),
        onSettle(task, outcomes) {
          if (calls[task] !== 'close') {
            if (closeCalled) closedBefore.add(task);
            return;
          }
          if (outcomes[task]!.status === 'rejected') return;
          const open = pools.findIndex((p) => !p.ended);
          if (open >= 0) {
            world.fail(
              `${name(task)}'s close() resolved while pool ${open + 1} ${pools[open]!.endCalls ? 'was still being ended' : 'was never ended'}: every pool connect() delivered must be ended by the time close resolves.`,
            );
          } else if (connecting > 0) {
            world.fail(
              `${name(task)}'s close() resolved while a connect() was still in flight: the pool it delivers a moment later is never ended. Wait for it, and end it.`,
            );
          }
        },
        check: (outcomes) =>
          checkRun(outcomes, calls, { failed, answers, late, closedBefore, pools, closeCalled }),
      };
    },
  };
}

interface Watched {
  failed: readonly Failed[];
  answers: ReadonlyMap<number, unknown>;
  late: ReadonlySet<number>;
  closedBefore: ReadonlySet<number>;
  pools: readonly Opened[];
  closeCalled: boolean;
}

function checkRun(outcomes: readonly TaskOutcome[], calls: readonly Call[], w: Watched): string | null {
  const name = (task: number) => shortName(outcomes, task);
  const injected = (error: unknown) => w.failed.find((f) => f.error === error);
  for (const [i, outcome] of outcomes.entries()) {
    const call = calls[i]!;
    const cause = outcome.status === 'rejected' ? injected(outcome.error) : undefined;
    const own = w.failed.filter((f) => f.task === i);
    if (call === 'close') {
      if (outcome.status !== 'rejected' || cause?.op === 'pool.end') continue;
      return `${name(i)}'s close() rejected with ${formatValue(outcome.error)}: close rejects only with the error of a pool's end().`;
    }
    if (outcome.status === 'resolved') {
      if (w.late.has(i)) {
        return `${name(i)}'s query was called after close(), yet it resolved with ${formatValue(outcome.value)}: after close, a query rejects.`;
      }
      if (call === 'query' && own.some((f) => f.op === 'pool.query')) {
        return `${name(i)}'s pool.query failed with ${formatValue(own[0]!.error)}, yet its query resolved with ${formatValue(outcome.value)}: reject with the pool's error.`;
      }
      if (outcome.value !== w.answers.get(i)) {
        return `${name(i)}'s query resolved with ${formatValue(outcome.value)}, not with the rows its pool.query answered (${formatValue(w.answers.get(i))}).`;
      }
      continue;
    }
    if (outcome.status !== 'rejected') continue;
    if (call === 'retry' && !w.closeCalled) {
      return `${name(i)}'s query failed${cause ? ` with ${formatValue(cause.error)}` : ''} and was called again from its catch, and that retry rejected with ${formatValue(outcome.error)}: a failed connect must not stick — the next query connects again.`;
    }
    if (cause) {
      if (cause.op === 'connect' || cause.task === i) continue;
      return `${name(i)}'s query rejected with the error of ${name(cause.task)}'s ${cause.op}: one query's failure must not fail another.`;
    }
    if (w.late.has(i) || w.closedBefore.has(i)) continue;
    const ownError = own[0];
    return ownError
      ? `${name(i)}'s ${ownError.op} failed with ${formatValue(ownError.error)}, but its query rejected with ${formatValue(outcome.error)}: reject with the port's own error.`
      : `${name(i)}'s query threw ${formatValue(outcome.error)}, though nothing it waited for failed and close() was never called.`;
  }
  if (w.closeCalled && outcomes.some((o, i) => calls[i] === 'close' && o.status === 'resolved')) {
    const open = w.pools.findIndex((p) => p.endCalls === 0);
    if (open >= 0) {
      return `pool ${open + 1} was delivered after close() resolved and was never ended: a pool still being opened at close must be ended too.`;
    }
  }
  return null;
}

function describeCall(call: Call): string {
  if (call === 'close') return 'close()';
  return call === 'query' ? 'query()' : 'query(), again from its catch if it rejects';
}

function describe(workload: LazyPoolWorkload): string {
  return [
    callers(workload.calls.map(describeCall)),
    ...(workload.failures ? ['one connect, query or end may fail'] : []),
  ].join('; ');
}

const EXAMPLES: LazyPoolWorkload[] = [
  { calls: ['query', 'query'], failures: 0 },
  { calls: ['retry', 'query'], failures: 1 },
  { calls: ['query', 'close'], failures: 0 },
  { calls: ['query', 'close', 'close'], failures: 0 },
  { calls: ['close', 'query'], failures: 0 },
  { calls: ['query', 'query', 'close'], failures: 0 },
  { calls: ['query', 'close'], failures: 1 },
  { calls: ['query', 'query'], failures: 1 },
];

const arbitrary: fc.Arbitrary<LazyPoolWorkload> = fc.record({
  calls: fc.array(fc.constantFrom<Call>('query', 'query', 'retry', 'close'), { minLength: 2, maxLength: 3 }),
  failures: fc.constantFrom<0 | 1>(0, 1),
});

export const check: Check<LazyPoolWorkload> = {
  exercise: 'lazy-pool',
  version: 1,
  workloads: {
    arbitrary,
    examples: EXAMPLES,
    generated: 3,
    describe,
    parse(value) {
      if (!isRecord(value) || !arrayOf(value.calls, (x): x is Call => CALLS.includes(x as Call), 1, 3))
        return null;
      if (value.failures !== 0 && value.failures !== 1) return null;
      return { calls: value.calls, failures: value.failures };
    },
  },
  scenario,
};
