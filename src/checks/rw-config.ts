import fc from 'fast-check';
import { formatValue } from '../explorer/format.js';
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
  results,
  unexplainedRejection,
} from './check.js';

interface Limits {
  rpm: number;
  burst: number;
}
interface Store {
  get(key: string): Promise<number>;
  write(entries: Record<string, number>): Promise<void>;
}
type TenantLimits = {
  read(tenant: string): Promise<Limits>;
  update(tenant: string, limits: Limits): Promise<void>;
};

const TENANTS = ['a', 'b'] as const;
type Tenant = (typeof TENANTS)[number];

/** What the store holds at the start, per tenant. */
const SEED: Record<Tenant, Limits> = { a: { rpm: 60, burst: 10 }, b: { rpm: 600, burst: 100 } };
/** What an update may set: every field differs from the seed's and from the other's, so a torn pair shows. */
const NEW_LIMITS = { strict: { rpm: 30, burst: 5 }, loose: { rpm: 120, burst: 20 } } as const;
type Setting = keyof typeof NEW_LIMITS;

type Call = { op: 'read'; tenant: Tenant } | { op: 'update'; tenant: Tenant; limits: Setting };

/** Reads and updates of the limits of one or two tenants; whether one store call may fail. */
export interface RwConfigWorkload {
  calls: Call[];
  failures: 0 | 1;
}

type State = ReadonlyMap<Tenant, Limits>;

/** The contract, one call at a time: a read answers the tenant's limits; an update replaces them. */
const model: SequentialModel<State, Call> = {
  apply(state, call) {
    if (call.op === 'read') return { state, answer: state.get(call.tenant) };
    return { state: new Map(state).set(call.tenant, NEW_LIMITS[call.limits]), answer: undefined };
  },
  key: (state) => [...state].map(([t, l]) => `${t}=${l.rpm}/${l.burst}`).join(','),
};

const show = (limits: Limits) => `${limits.rpm}/${limits.burst}`;
const describeCall = (call: Call) =>
  call.op === 'read'
    ? `read('${call.tenant}')`
    : `update('${call.tenant}', ${show(NEW_LIMITS[call.limits])})`;

/** A store call that failed: which caller made it, and the error the store rejected with. */
interface Failed {
  task: number;
  op: 'store.get' | 'store.write';
  key: string;
  error: unknown;
}

/**
 * The store (one key at a time to read, all-or-nothing writes) and the watch kept on the callers:
 * which read waited for another read alone, and which read called after a pending update is held
 * back until that update settles.
 */
class Watch {
  readonly data = new Map<string, number>();
  readonly failed: Failed[] = [];
  private readonly settled = new Set<number>();
  private readonly arrived = new Set<number>();
  /**
   * Reads that have neither made a store call nor settled yet: the step each arrived in, and the
   * read they then saw settle while no update was pending.
   */
  private readonly waiting = new Map<number, { step: number; blocker: number | null }>();
  /** Per read: the updates pending when it was called. */
  private readonly after = new Map<number, number[]>();

  constructor(
    private readonly world: World,
    private readonly calls: readonly Call[],
  ) {
    for (const tenant of TENANTS) {
      this.data.set(`${tenant}:rpm`, SEED[tenant].rpm);
      this.data.set(`${tenant}:burst`, SEED[tenant].burst);
    }
  }

  private name(task: number): string {
    return `t${task + 1}`;
  }

  private updatesPending(): number[] {
    return this.calls.flatMap((c, i) =>
      c.op === 'update' && this.arrived.has(i) && !this.settled.has(i) ? [i] : [],
    );
  }

  arrive(task: number): void {
    this.arrived.add(task);
    if (this.calls[task]!.op === 'read') {
      this.waiting.set(task, { step: this.world.step, blocker: null });
      this.after.set(task, this.updatesPending());
    }
  }

  settle(task: number): void {
    this.settled.add(task);
    this.waiting.delete(task);
    if (this.calls[task]!.op !== 'read' || this.updatesPending().length > 0) return;
    // No update runs or waits: a read that arrived in an earlier step and has still made no store
    // call waits for this read alone. (Within one step, the order is only that of microtasks.)
    for (const waiting of this.waiting.values()) {
      if (waiting.blocker === null && waiting.step < this.world.step) waiting.blocker = task;
    }
  }

  /** A store call by `task` (the caller whose code made it). */
  private called(task: number): void {
    if (!this.waiting.has(task)) return;
    const blocker = this.waiting.get(task)?.blocker ?? null;
    this.waiting.delete(task);
    if (blocker === null) return;
    this.world.fail(
      `${this.name(task)}'s read waited for ${this.name(blocker)}'s read to finish before making its own store calls, though no update was running or waiting: reads must overlap (a plain mutex makes every read wait for the one before it).`,
    );
  }

  /** A read called while an update was pending may not make that update wait: the checker holds it until then. */
  private heldBack(task: number): string | null {
    const update = this.after.get(task)?.find((u) => !this.settled.has(u));
    if (update === undefined) return null;
    return `${this.name(task)}'s read was called while ${this.name(update)}'s update was waiting, got in ahead of it, and the update waited for it: a read called after an update must not hold it up (a steady stream of reads would starve it). The checker held ${this.name(task)}'s store calls until the update finished, and it never did.`;
  }

  private fallible<T>(op: Failed['op'], key: string, promise: Promise<T>, task: number): Promise<T> {
    promise.catch((error: unknown) => {
      this.failed.push({ task, op, key, error });
    });
    return promise;
  }

  readonly store: Store = {
    get: (key) => {
      const task = this.world.task();
      this.called(task);
      const got = this.world.op('store.get', [key], () => this.value(key), {
        fallible: true,
        heldBack: () => this.heldBack(task),
        touches: [{ object: 'store', key, write: false }],
      });
      return this.fallible('store.get', key, got, task);
    },
    write: (entries) => {
      const task = this.world.task();
      this.called(task);
      const copy = { ...entries };
      const keys = Object.keys(copy);
      const written = this.world.op(
        'store.write',
        [copy],
        () => {
          for (const [key, value] of Object.entries(copy)) this.data.set(key, value);
        },
        {
          fallible: true,
          describe: () => 'ok',
          heldBack: () => this.heldBack(task),
          touches: keys.map((key) => ({ object: 'store', key, write: true })),
        },
      );
      return this.fallible('store.write', keys.join(', '), written, task);
    },
  };

  private value(key: string): number {
    const value = this.data.get(key);
    if (value === undefined)
      throw new Error(`no such key: '${key}' (the keys are '<tenant>:rpm' and '<tenant>:burst')`);
    return value;
  }
}

function scenario(workload: RwConfigWorkload): Scenario<Module> {
  const { calls } = workload;
  return {
    name: describe(workload),
    maxFailures: workload.failures,
    setup(world, mod) {
      const watch = new Watch(world, calls);
      const Limits = exported<new (store: Store) => TenantLimits>(mod, 'TenantLimits', 'the class');
      const limits = new Limits(watch.store);
      return {
        tasks: calls.map((call, i) => ({
          label: `t${i + 1} ${describeCall(call)}`,
          run: () => {
            watch.arrive(i);
            return call.op === 'read'
              ? limits.read(call.tenant)
              : limits.update(call.tenant, { ...NEW_LIMITS[call.limits] });
          },
          // Two reads show no order to each other; a read and an update, or two updates, do.
          realTime:
            call.op === 'read'
              ? { arrive: [`update:${call.tenant}`], settle: [`read:${call.tenant}`] }
              : {
                  arrive: [`read:${call.tenant}`, `update:${call.tenant}`],
                  settle: [`update:${call.tenant}`],
                },
        })),
        onSettle(task) {
          watch.settle(task);
        },
        check: (outcomes) => checkRun(outcomes, calls, watch),
      };
    },
  };
}

function checkRun(outcomes: readonly TaskOutcome[], calls: readonly Call[], watch: Watch): string | null {
  const name = (task: number) => shortName(outcomes, task);
  const unexplained = unexplainedRejection(outcomes, watch.failed.length > 0);
  if (unexplained) return unexplained;
  for (const failure of watch.failed) {
    const outcome = outcomes[failure.task];
    if (!outcome || outcome.status === 'rejected') continue;
    return `${name(failure.task)}'s ${failure.op} of ${failure.key} failed, yet its ${calls[failure.task]!.op} ${outcome.status === 'resolved' ? `resolved (${formatValue(outcome.value)})` : 'never settled'}: a failed store call must reject the call that made it, with the same error.`;
  }
  for (const [i, outcome] of outcomes.entries()) {
    if (outcome.status !== 'rejected') continue;
    const cause = watch.failed.find((f) => f.error === outcome.error);
    if (!cause) {
      const own = watch.failed.find((f) => f.task === i);
      return own
        ? `${name(i)}'s ${own.op} failed with ${formatValue(own.error)}, but its ${calls[i]!.op} rejected with ${formatValue(outcome.error)}: reject with the store's own error.`
        : `${name(i)}'s ${calls[i]!.op} rejected with ${formatValue(outcome.error)}, though none of its store calls failed: one call's failure must not fail the others.`;
    }
    if (cause.task === i) continue;
    // A read may share another read's loading of the same tenant, and its failure with it.
    const shared =
      calls[i]!.op === 'read' &&
      cause.op === 'store.get' &&
      calls[cause.task]?.op === 'read' &&
      calls[cause.task]!.tenant === calls[i]!.tenant;
    if (!shared) {
      return `${name(i)}'s ${calls[i]!.op} rejected with the error of ${name(cause.task)}'s failed ${cause.op}: one call's failure must not fail the others.`;
    }
  }
  for (const [i, outcome] of outcomes.entries()) {
    const call = calls[i]!;
    if (call.op !== 'read' || outcome.status !== 'resolved') continue;
    const torn = tornRead(outcome.value, call.tenant, calls);
    if (torn) return `${name(i)}'s read('${call.tenant}') ${torn}`;
  }
  const stored = (tenant: Tenant): Limits => ({
    rpm: watch.data.get(`${tenant}:rpm`)!,
    burst: watch.data.get(`${tenant}:burst`)!,
  });
  const linear = linearize(model, new Map(TENANTS.map((t) => [t, SEED[t]])), calls, outcomes, {
    objects: (i) => [calls[i]!.tenant],
    skip: (i) => outcomes[i]!.status === 'rejected',
    matches: (i, answer, outcome) => {
      if (outcome.status !== 'resolved') return false;
      if (calls[i]!.op === 'update') return true;
      const value = outcome.value as Partial<Limits> | null;
      const expected = answer as Limits;
      return value?.rpm === expected.rpm && value?.burst === expected.burst;
    },
    accept: (state) => TENANTS.every((t) => show(state.get(t)!) === show(stored(t))),
  });
  if (linear) return null;
  const wrote = TENANTS.filter((t) => calls.some((c) => c.tenant === t))
    .map((t) => `${t}: ${show(stored(t))}`)
    .join(', ');
  return `no order of running the calls one at a time gives ${results(outcomes)} with the store holding ${wrote}: a read answered limits older than an update that had already resolved, or the store kept a write that lost.`;
}

/** Why a read's answer is no version of the tenant's limits: rpm of one, burst of another. */
function tornRead(value: unknown, tenant: Tenant, calls: readonly Call[]): string | null {
  const versions: { limits: Limits; by: string }[] = [
    { limits: SEED[tenant], by: 'the limits before any update' },
    ...calls.flatMap((c, i) =>
      c.op === 'update' && c.tenant === tenant
        ? [{ limits: NEW_LIMITS[c.limits], by: `t${i + 1}'s update` }]
        : [],
    ),
  ];
  const answer = value as Partial<Limits> | null;
  if (typeof answer?.rpm !== 'number' || typeof answer?.burst !== 'number') {
    return `answered ${formatValue(value)}, not limits ({ rpm, burst }).`;
  }
  if (versions.some((v) => v.limits.rpm === answer.rpm && v.limits.burst === answer.burst)) return null;
  const rpm = versions.find((v) => v.limits.rpm === answer.rpm);
  const burst = versions.find((v) => v.limits.burst === answer.burst);
  if (rpm && burst) {
    return `answered ${show(answer as Limits)} (rpm/burst): the rpm of ${rpm.by} with the burst of ${burst.by} — a torn read: an update landed between its two gets.`;
  }
  return `answered ${show(answer as Limits)} (rpm/burst), which no update wrote.`;
}

function describe(workload: RwConfigWorkload): string {
  return [
    callers(workload.calls.map(describeCall)),
    `the store held a: ${show(SEED.a)}${workload.calls.some((c) => c.tenant === 'b') ? `, b: ${show(SEED.b)}` : ''}`,
    ...(workload.failures ? ['one store call may fail'] : []),
  ].join('; ');
}

const read = (tenant: Tenant = 'a'): Call => ({ op: 'read', tenant });
const update = (limits: Setting, tenant: Tenant = 'a'): Call => ({ op: 'update', tenant, limits });

const EXAMPLES: RwConfigWorkload[] = [
  { calls: [read(), update('strict')], failures: 0 },
  { calls: [read(), read()], failures: 0 },
  { calls: [read(), update('strict'), read()], failures: 0 },
  { calls: [update('strict'), read(), update('loose')], failures: 0 },
  { calls: [update('strict'), read(), read()], failures: 0 },
  { calls: [update('strict'), read()], failures: 1 },
  { calls: [read(), read()], failures: 1 },
  // Two updates waiting behind a read, and a read arriving as the first one leaves.
  { calls: [read(), update('strict'), update('loose'), read()], failures: 0 },
];

const isCall = (x: unknown): x is Call =>
  isRecord(x) &&
  TENANTS.includes(x.tenant as Tenant) &&
  (x.op === 'read' || (x.op === 'update' && (x.limits === 'strict' || x.limits === 'loose')));

const arbitrary: fc.Arbitrary<RwConfigWorkload> = fc.record({
  calls: fc.array(
    fc.oneof(
      fc.record({ op: fc.constant<'read'>('read'), tenant: fc.constantFrom<Tenant>('a', 'a', 'b') }),
      fc.record({
        op: fc.constant<'update'>('update'),
        tenant: fc.constantFrom<Tenant>('a', 'a', 'b'),
        limits: fc.constantFrom<Setting>('strict', 'loose'),
      }),
    ),
    { minLength: 2, maxLength: 3 },
  ),
  failures: fc.constantFrom<0 | 1>(0, 0, 1),
});

export const check: Check<RwConfigWorkload> = {
  exercise: 'rw-config',
  version: 1,
  workloads: {
    arbitrary,
    examples: EXAMPLES,
    generated: 5,
    describe,
    parse(value) {
      if (!isRecord(value) || !arrayOf(value.calls, isCall, 1, 4)) return null;
      if (value.failures !== 0 && value.failures !== 1) return null;
      return { calls: value.calls, failures: value.failures };
    },
  },
  scenario,
  // The four-caller example cannot be explored whole in a fraction of a second: it is cut here.
  budget: { maxSchedules: 120, random: 10 },
};
