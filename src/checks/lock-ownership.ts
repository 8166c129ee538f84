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
      const running = new Set<number>();
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
          const what = after === null ? 'deleted' : 'overwrote';
          world.fail(
            `a lock deleted by a process that no longer owned it: ${label(call)} ${what} the lock ${label(holder.call)} held (${KEY} = ${formatValue(before)}, ${holder.deadline === null ? 'no expiry set' : `lease until ${at(holder.deadline)}`}) with ${seen.shown}. Change the lock only while it still holds your own token, in one step: a Lua compare-and-delete.`,
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

      const jobOf = (call: number) => async () => {
        await world.op(
          'billing job',
          [label(call)],
          () => {
            for (const other of running) {
              const lease = leases.filter((l) => l.call === other).at(-1);
              const holds =
                lease && lease.ended !== 'expired' && (lease.deadline === null || now() < lease.deadline);
              if (holds || !lease) {
                world.fail(
                  `two holders at once: ${label(call)} started the billing job while ${label(other)} was still running it${lease ? `, its lease live until ${lease.deadline === null ? 'forever' : at(lease.deadline)}` : ''}.`,
                );
              }
            }
            if (!leases.some((l) => l.call === call)) {
              world.fail(`${label(call)} ran the billing job without ever taking the lock ${KEY}.`);
            }
            running.add(call);
            return 'starts';
          },
          {
            touches: [...READS_REDIS, { object: 'job', key: 'billing', write: true }],
            describe: () => 'starts',
          },
        );
        await world.op(
          'billing job',
          [label(call)],
          () => {
            running.delete(call);
            ran.add(call);
            if (calls[call]!.fails) throw new Error('billing failed');
            return 'done';
          },
          { touches: [{ object: 'job', key: 'billing', write: true }], describe: () => 'done' },
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
              `${label(call)}'s runExclusive ${outcomes[call]!.status === 'rejected' ? 'threw' : 'returned'} with its lock still held (${KEY}, lease until ${lease.deadline === null ? 'never' : at(lease.deadline)}): release it on every path — in finally.`,
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

const EXAMPLES: LockWorkload[] = [
  { calls: [{ server: 0 }, { server: 1 }] },
  {
    calls: [
      { server: 0, crashAfter: 1 },
      { server: 1, at: TTL + 1 },
    ],
  },
  { calls: [{ server: 0, fails: true }, { server: 1 }] },
  { calls: [{ server: 0 }, { server: 0 }, { server: 1 }] },
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
            at: fc.constant(TTL + 1),
          },
          { requiredKeys: ['server'] },
        ),
        { minLength: 1, maxLength: 3 },
      ),
    }),
    examples: EXAMPLES,
    generated: 2,
    describe,
    parse(value) {
      if (!isRecord(value) || !arrayOf(value.calls, isCall, 1, 3)) return null;
      return { calls: value.calls };
    },
  },
  scenario,
  budget: REDIS_BUDGET,
};
