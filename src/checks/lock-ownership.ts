import fc from 'fast-check';
import { formatValue } from '../explorer/format.js';
import type { Scenario, TaskOutcome } from '../explorer/scenario.js';
import { shortName } from '../explorer/stuck.js';
import { EPOCH_MS } from '../explorer/world.js';
import type { Observation } from '../redis/bench.js';
import { arrayOf, type Check, callers, exported, isRecord, type Module } from './check.js';
import { crashing, READS_REDIS, REDIS_BUDGET, ServerCrashed, servers } from './redis-check.js';

const KEY = 'lock:billing';
/** The lease every workload gives the lock, in ms. */
const TTL = 10_000;

interface JobLock {
  runExclusive(job: () => Promise<void>): Promise<boolean>;
}
type JobLockClass = new (redis: unknown, options: { key: string; ttlMs: number; owner: string }) => JobLock;

/** One call of runExclusive: on which server, whether its job fails, whether its server dies, and when it comes. */
export interface LockCall {
  server: number;
  /** The job throws. */
  fails?: boolean;
  /** The server dies after this many Redis commands of the call. */
  crashAfter?: number;
  /** The call arrives at this virtual time (ms), once the leases before it could have run out. */
  at?: number;
}

export interface LockWorkload {
  calls: LockCall[];
}

/** One acquisition of the lock: who took it, with which value, and how it ended. */
interface Lease {
  call: number;
  value: string;
  /** Virtual ms since the epoch, or null: a lock with no expiry. */
  deadline: number | null;
  ended: 'expired' | 'released' | 'taken' | null;
}

const ownerOf = (server: number) => `server-${server + 1}`;

function describeCall(call: LockCall): string {
  const notes = [
    ...(call.fails ? ['its job fails'] : []),
    ...(call.crashAfter !== undefined ? [`its server dies after ${call.crashAfter} command(s)`] : []),
    ...(call.at !== undefined ? [`at t=${call.at} ms`] : []),
  ];
  return `runExclusive on ${ownerOf(call.server)}${notes.length ? ` (${notes.join(', ')})` : ''}`;
}

function describe({ calls }: LockWorkload): string {
  return callers(calls.map(describeCall));
}

const at = (ms: number) => `t=${ms - EPOCH_MS} ms`;

function scenario(workload: LockWorkload): Scenario<Module> {
  const { calls } = workload;
  const count = Math.max(...calls.map((c) => c.server)) + 1;
  return {
    name: describe(workload),
    async setup(world, mod, another) {
      const leases: Lease[] = [];
      /** The lease whose value the key holds now. */
      let current: Lease | null = null;
      const ran = new Set<number>();
      const crashed = new Set<number>();
      /** Calls that met the lock held by another call: a false is theirs to give. */
      const sawHeld = new Set<number>();
      const label = (call: number) => `t${call + 1}`;
      const now = () => EPOCH_MS + world.now;

      const observe = (seen: Observation) => {
        if (world.failure) return;
        const call = seen.task;
        const before = seen.before[0] ?? null;
        const after = seen.after[0] ?? null;
        const deadline = seen.deadlines[0] ?? null;
        if (seen.expired.includes(KEY) && current) {
          current.ended = 'expired';
          current = null;
        }
        if (before !== null && current && current.call !== call && current.value === before)
          sawHeld.add(call);
        if (before === after) return;
        const holder: Lease | null = current;
        if (before !== null && holder && holder.call !== call) {
          holder.ended = 'taken';
          const lease = holder.deadline === null ? 'no expiry set' : `lease until ${at(holder.deadline)}`;
          world.fail(
            after === null
              ? `a lock deleted by a process that no longer owned it: ${label(call)} deleted the lock ${label(holder.call)} held (${KEY} = ${formatValue(before)}, ${lease}) with ${seen.shown}. Delete the lock only while it still holds your own token, in one step: a Lua compare-and-delete.`
              : `two holders at once: ${label(call)} took the lock ${label(holder.call)} held (${KEY} = ${formatValue(before)}, ${lease}) with ${seen.shown}. Take it only when the key is absent (SET key token NX PX ttl), and change it only while it holds your own token.`,
          );
          return;
        }
        if (holder) holder.ended = 'released';
        current = null;
        if (after !== null) {
          const lease: Lease = { call, value: after, deadline, ended: null };
          current = lease;
          leases.push(lease);
        }
      };

      const { modules, ports } = await servers(world, mod, another, count, { watch: [KEY], observe });
      const Lock = exported<JobLockClass>(mod, 'JobLock', 'the class');
      const locks = modules.map((m, i) => {
        const Own = m === mod ? Lock : exported<JobLockClass>(m, 'JobLock', 'the class');
        return (port: unknown) => new Own(port, { key: KEY, ttlMs: TTL, owner: ownerOf(i) });
      });
      const shared = ports.map((port, i) => locks[i]!(port));

      /** The lease a call holds for its job: its latest, unless that one has expired by now. */
      const live = (call: number) => {
        const own = leases.filter((l) => l.call === call).at(-1);
        if (!own || own.ended === 'expired') return null;
        if (own.deadline !== null && now() >= own.deadline) return null;
        return own;
      };

      /** The job is one step: the lease can run out before or after it, never inside a Redis command. */
      const jobOf = (call: number) => async () => {
        await world.op(
          'billing job',
          [label(call)],
          () => {
            if (!leases.some((l) => l.call === call)) {
              world.fail(`${label(call)} ran the billing job without ever taking the lock ${KEY}.`);
            }
            ran.add(call);
            if (calls[call]!.fails) throw new Error('billing failed');
            return 'done';
          },
          {
            touches: [...READS_REDIS, { object: 'job', key: 'billing', write: true }],
            describe: () => 'done',
          },
        );
      };

      return {
        tasks: calls.map((spec, call) => {
          const crash = spec.crashAfter;
          const lock =
            crash === undefined
              ? shared[spec.server]!
              : locks[spec.server]!(
                  crashing(ports[spec.server]!, crash, () => {
                    crashed.add(call);
                    world.record('server dies', [ownerOf(spec.server)], '✗', call);
                  }),
                );
          return {
            label: `t${call + 1} ${describeCall(spec)}`,
            at: spec.at,
            run: () => lock.runExclusive(jobOf(call)),
          };
        }),
        onSettle(call, outcomes) {
          if (world.failure || crashed.has(call)) return;
          const lease = live(call);
          if (lease && lease === current) {
            world.fail(
              `${label(call)}'s runExclusive ${outcomes[call]!.status === 'rejected' ? 'threw' : 'returned'} with its lock still held (${KEY}, ${lease.deadline === null ? 'no expiry set' : `lease until ${at(lease.deadline)}`}): release it on every path — in finally.`,
            );
          }
        },
        async check(outcomes) {
          for (const [call, outcome] of outcomes.entries()) {
            if (crashed.has(call)) continue;
            const verdict = judge(call, outcome, outcomes);
            if (verdict) return verdict;
          }
          const left = leases.find((l) => l === current && l.deadline === null);
          if (left) {
            const dead = crashed.has(left.call) ? `, and ${label(left.call)}'s server died` : '';
            return `the lock outlived its holder: ${KEY} was left with no expiry${dead} — nobody can run the job again. Take the lock and its lease in one command: SET key token NX PX ttl.`;
          }
          return null;
        },
      };

      function judge(call: number, outcome: TaskOutcome, outcomes: readonly TaskOutcome[]): string | null {
        const name = shortName(outcomes, call);
        if (outcome.status === 'rejected') {
          if (outcome.error instanceof ServerCrashed) return null;
          if (calls[call]!.fails && ran.has(call) && String(outcome.error).includes('billing failed'))
            return null;
          return `${name}'s runExclusive threw ${formatValue(outcome.error)}: only the job's own failure may make it throw.`;
        }
        if (calls[call]!.fails && ran.has(call)) {
          return `${name}'s job failed, but runExclusive ${formatValue(outcome.value)} instead of rejecting with the job's error.`;
        }
        if (outcome.value === true && !ran.has(call)) return `${name} answered true without running the job.`;
        if (outcome.value === false && ran.has(call)) return `${name} ran the job, but answered false.`;
        if (outcome.value === false && !sawHeld.has(call)) {
          return `${name} answered false, though no other server held the lock when it tried.`;
        }
        if (outcome.value !== true && outcome.value !== false) {
          return `${name}'s runExclusive answered ${formatValue(outcome.value)}: it answers true or false.`;
        }
        return null;
      }
    },
  };
}

/** A second server arriving once the first's lease could have run out (t > TTL): the first is paused. */
const LATER = TTL + 1;

const EXAMPLES: LockWorkload[] = [
  { calls: [{ server: 0 }, { server: 1, at: LATER }] },
  {
    calls: [
      { server: 0, crashAfter: 1 },
      { server: 1, at: LATER },
    ],
  },
  {
    calls: [
      { server: 0, fails: true },
      { server: 1, at: LATER },
    ],
  },
  { calls: [{ server: 0 }, { server: 0, at: LATER }] },
  { calls: [{ server: 0 }, { server: 1 }] },
];

const isCall = (x: unknown): x is LockCall =>
  isRecord(x) &&
  Number.isInteger(x.server) &&
  (x.server as number) >= 0 &&
  (x.server as number) < 3 &&
  (x.fails === undefined || typeof x.fails === 'boolean') &&
  (x.crashAfter === undefined || (Number.isInteger(x.crashAfter) && (x.crashAfter as number) >= 0)) &&
  (x.at === undefined || (Number.isInteger(x.at) && (x.at as number) >= 0));

export const check: Check<LockWorkload> = {
  exercise: 'lock-ownership',
  version: 1,
  workloads: {
    arbitrary: fc.record({
      calls: fc.array(
        fc.record(
          {
            server: fc.integer({ min: 0, max: 2 }),
            fails: fc.boolean(),
            crashAfter: fc.integer({ min: 0, max: 3 }),
            at: fc.constant(LATER),
          },
          { requiredKeys: ['server'] },
        ),
        { minLength: 1, maxLength: 3 },
      ),
    }),
    examples: EXAMPLES,
    generated: 1,
    describe,
    parse(value) {
      if (!isRecord(value) || !arrayOf(value.calls, isCall, 1, 3)) return null;
      return { calls: value.calls };
    },
  },
  scenario,
  // Half the search by reduction, half seeded random: a check-then-set race sits early in a run,
  // where a search that backtracks from the end reaches last.
  budget: { ...REDIS_BUDGET, maxSchedules: 30, random: 30 },
};
