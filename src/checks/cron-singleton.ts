import fc from 'fast-check';
import { formatValue } from '../explorer/format.js';
import type { Scenario, TaskOutcome, TaskSpec } from '../explorer/scenario.js';
import { shortName } from '../explorer/stuck.js';
import { type Event, InjectedFailure, type World } from '../explorer/world.js';
import { type Db, describePgError, PgBench } from '../postgres/sessions.js';
import { arrayOf, type Check, callers, exported, isRecord } from './check.js';
import { PG_BUDGET } from './pg-check.js';

type Module = Record<string, unknown>;
type Run = (pool: unknown, tick: string, send: () => Promise<void>) => Promise<boolean>;

const TICKS = ['2026-11-30', '2026-12-01'];
/** Connections in each instance's pool. */
const POOL_SIZE = 2;

/** What happens to an instance's send: it resolves, may reject, or its process may die mid-send. */
export type Fate = 'ok' | 'fails' | 'dies';

export interface Instance {
  /** Index into TICKS. */
  tick: number;
  fate: Fate;
}

/**
 * Instances of the service running the nightly report, each with its own module and a pool of two
 * connections. `lifo`: a pool hands out the connection released last (as pg-pool does); otherwise
 * the one idle longest — so that consecutive `pool.query` calls land on different connections.
 */
export interface CronWorkload {
  instances: Instance[];
  lifo?: boolean;
}

const SCHEMA = 'CREATE TABLE job_runs (job text NOT NULL, tick text NOT NULL, PRIMARY KEY (job, tick))';
/** Every schedule starts with no runs recorded. */
const SEED = {};

const SEND = 'send';
const SENT = 'send finishes';

/**
 * A pool of sessions as pg's Pool behaves: `query` runs on a free connection (waiting for one when
 * all are busy), `connect` checks one out until `release`.
 */
class Pool {
  private readonly idle: number[];
  private readonly waiting: ((session: number) => void)[] = [];
  /** Clients checked out and not yet released. */
  out = 0;

  constructor(
    private readonly world: World,
    private readonly sessions: readonly Db[],
    private readonly lifo: boolean,
  ) {
    this.idle = sessions.map((_, i) => i);
  }

  private take(): Promise<number> {
    const session = this.lifo ? this.idle.pop() : this.idle.shift();
    if (session !== undefined) return Promise.resolve(session);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private give(session: number): void {
    const next = this.waiting.shift();
    if (next) next(session);
    else this.idle.push(session);
  }

  readonly query = async (sql: string, params?: unknown[]) => {
    const session = await this.take();
    // Which connection a statement ran on is the whole story of a lock or a transaction lost in a pool.
    this.world.record('pool.query', [], `on connection ${session + 1}`);
    try {
      return await this.sessions[session]!.query(sql, params);
    } finally {
      this.give(session);
    }
  };

  readonly connect = async () => {
    const session = await this.take();
    this.world.record('pool.connect', [], `→ connection ${session + 1}`);
    this.out++;
    let released = false;
    return {
      query: (sql: string, params?: unknown[]) => this.sessions[session]!.query(sql, params),
      release: () => {
        if (released) return;
        released = true;
        this.out--;
        this.give(session);
      },
    };
  };
}

interface Sending {
  task: number;
  start: number;
  end: number;
  result: 'sent' | 'failed' | 'died' | 'running';
}

function sendings(events: readonly Event[]): Sending[] {
  const list: Sending[] = [];
  for (const event of events) {
    if (event.op === SEND) {
      const died = event.result === 'fails';
      list.push({
        task: event.task,
        start: event.step,
        end: died ? event.step : Number.POSITIVE_INFINITY,
        result: died ? 'died' : 'running',
      });
    } else if (event.op === SENT) {
      const s = list.findLast((x) => x.task === event.task);
      if (!s) continue;
      s.end = event.step;
      s.result = event.result === 'fails' ? 'failed' : 'sent';
    }
  }
  return list;
}

const label = ({ tick, fate }: Instance) =>
  `runNightlyReport('${TICKS[tick]}')${fate === 'fails' ? ' (send may fail)' : fate === 'dies' ? ' (the instance may die mid-send)' : ''}`;

function judge(
  instances: readonly Instance[],
  outcomes: readonly TaskOutcome[],
  events: readonly Event[],
): string | null {
  const name = (task: number) => shortName(outcomes, task);
  const list = sendings(events);
  const end = (task: number) => {
    const died = list.find((s) => s.task === task && s.result === 'died');
    if (died) return died.end;
    const settled = outcomes[task]!.settledAt;
    return settled < 0 ? Number.POSITIVE_INFINITY : settled;
  };
  for (const [tick, day] of TICKS.entries()) {
    const calls = instances.flatMap((instance, task) => (instance.tick === tick ? [task] : []));
    const mine = list.filter((s) => calls.includes(s.task));
    for (const [i, s] of mine.entries()) {
      const overlap = mine.slice(0, i).find((x) => x.task !== s.task && x.end > s.start);
      if (overlap)
        return `${name(s.task)} called send() for ${day} while ${name(overlap.task)}'s send was running: two reports at once.`;
    }
    const sent = mine.filter((s) => s.result === 'sent');
    if (sent.length > 1) {
      return `the report of ${day} went out ${sent.length} times (${sent.map((s) => name(s.task)).join(', ')}): once per tick.`;
    }
    for (const task of calls) {
      const outcome = outcomes[task]!;
      const own = mine.filter((s) => s.task === task);
      if (own.length > 1) return `${name(task)} called send() ${own.length} times.`;
      if (outcome.status === 'rejected') {
        const failed = own.find((s) => s.result === 'failed');
        if (!failed) {
          const error = outcome.error as { code?: string };
          return `${name(task)} rejected with ${error?.code ? describePgError(error) : formatValue(error)}${failed ? '' : ', though its send did not fail'}.`;
        }
        if (!(outcome.error instanceof InjectedFailure) || !outcome.error.message.startsWith(SENT)) {
          return `${name(task)}'s send failed, but runNightlyReport threw ${formatValue(outcome.error)}: reject with send's own error.`;
        }
        continue;
      }
      if (outcome.status !== 'resolved') continue;
      if (outcome.value === true) {
        if (own[0]?.result !== 'sent') {
          return `${name(task)} answered true without a send() that resolved: true means this instance sent the report.`;
        }
        continue;
      }
      if (outcome.value !== false)
        return `${name(task)} answered ${formatValue(outcome.value)}: answer true or false.`;
      if (own.length > 0) return `${name(task)} called send(), then answered false.`;
      // The report went out, or an instance died while sending it: the statement lets that night go.
      if (sent.length > 0 || mine.some((s) => s.result === 'died' && s.end <= outcome.settledAt)) continue;
      // No report went out: false is right only if another instance of the tick was at it meanwhile.
      const arrived = outcome.arrivedAt;
      const others = calls.filter((t) => t !== task);
      let busy = false;
      for (let at = arrived; at <= outcome.settledAt && !busy; at++) {
        busy = others.some(
          (t) => outcomes[t]!.arrivedAt >= 0 && outcomes[t]!.arrivedAt <= at && at <= end(t),
        );
      }
      if (!busy) {
        return `${name(task)} answered false, but the report of ${day} has not gone out and no other instance was sending it: a failed or killed send does not count as sent.`;
      }
    }
  }
  return null;
}

function scenario(workload: CronWorkload): Scenario<Module> {
  const { instances } = workload;
  return {
    name: describe(workload),
    maxFailures: 1,
    async setup(world: World, mod: Module, another: () => Module) {
      const bench = await PgBench.for('cron-singleton', SCHEMA);
      const count = instances.length * POOL_SIZE;
      await bench.reset(count, SEED);
      const names = Array.from({ length: count }, (_, i) => `t${Math.floor(i / POOL_SIZE) + 1}`);
      const pools: Pool[] = [];
      const tasks: TaskSpec[] = instances.map((instance, i) => {
        const indexes = Array.from({ length: POOL_SIZE }, (_, k) => i * POOL_SIZE + k);
        const pool = new Pool(
          world,
          indexes.map((index) => bench.session(world, index, names)),
          workload.lifo === true,
        );
        pools.push(pool);
        const own = i === 0 ? mod : another();
        const send = async () => {
          await world.op(SEND, [], () => undefined, {
            fallible: instance.fate === 'dies',
            failure: 'crashes',
            onCrash: async () => {
              for (const index of indexes) await bench.terminate(index);
            },
            touches: [{ object: 'report', key: TICKS[instance.tick]!, write: true }],
            describe: () => 'starts',
          });
          await world.op(SENT, [], () => undefined, {
            fallible: instance.fate === 'fails',
            touches: [{ object: 'report', key: TICKS[instance.tick]!, write: true }],
            describe: () => 'sent',
          });
        };
        return {
          label: `t${i + 1} ${label(instance)}`,
          run: () =>
            exported<Run>(own, 'runNightlyReport', 'the function')(pool, TICKS[instance.tick]!, send),
        };
      });
      return {
        tasks,
        check: async (outcomes: readonly TaskOutcome[]) => {
          const rule = judge(instances, outcomes, world.events);
          if (rule) return rule;
          for (const [task, outcome] of outcomes.entries()) {
            if (outcome.status === 'crashed') continue;
            for (let k = 0; k < POOL_SIZE; k++) {
              if (await bench.inTransaction(task * POOL_SIZE + k)) {
                return `${shortName(outcomes, task)} returned with a transaction open on a connection of its pool: a transaction belongs to one connection — run it all on a client from pool.connect().`;
              }
            }
            if (pools[task]!.out > 0) {
              return `${shortName(outcomes, task)} returned without releasing the client it took with pool.connect(): release it in a finally block.`;
            }
          }
          const [{ n } = { n: 0 }] = await bench.read<{ n: number }>(
            "SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
          );
          if (n > 0) {
            return `an advisory lock is still held by an idle connection after every instance returned: a session lock belongs to the connection that took it — unlock it there (a client from pool.connect()), or use pg_try_advisory_xact_lock.`;
          }
          return null;
        },
      };
    },
  };
}

function describe({ instances, lifo }: CronWorkload): string {
  return `${callers(instances.map(label))}; each instance has a pool of 2 connections${lifo ? ' that hands out the one released last' : ''}`;
}

const EXAMPLES: CronWorkload[] = [
  {
    instances: [
      { tick: 0, fate: 'ok' },
      { tick: 0, fate: 'ok' },
    ],
  },
  { instances: [{ tick: 0, fate: 'ok' }] },
  { instances: [{ tick: 0, fate: 'ok' }], lifo: true },
  {
    instances: [
      { tick: 0, fate: 'fails' },
      { tick: 0, fate: 'ok' },
    ],
  },
  {
    instances: [
      { tick: 0, fate: 'dies' },
      { tick: 0, fate: 'ok' },
    ],
  },
  {
    instances: [
      { tick: 0, fate: 'dies' },
      { tick: 1, fate: 'ok' },
    ],
  },
  {
    instances: [
      { tick: 0, fate: 'ok' },
      { tick: 0, fate: 'ok' },
      { tick: 0, fate: 'ok' },
    ],
  },
];

const FATES: Fate[] = ['ok', 'fails', 'dies'];
const isInstance = (x: unknown): x is Instance =>
  isRecord(x) && (x.tick === 0 || x.tick === 1) && FATES.includes(x.fate as Fate);

export const check: Check<CronWorkload> = {
  exercise: 'cron-singleton',
  version: 1,
  workloads: {
    arbitrary: fc.record({
      instances: fc.array(
        fc.record({
          tick: fc.constantFrom(0, 0, 1),
          fate: fc.constantFrom<Fate>('ok', 'ok', 'fails', 'dies'),
        }),
        { minLength: 1, maxLength: 3 },
      ),
      lifo: fc.boolean(),
    }),
    examples: EXAMPLES,
    generated: 2,
    describe,
    parse(value) {
      if (!isRecord(value) || !arrayOf(value.instances, isInstance, 1, 3)) return null;
      return { instances: value.instances, lifo: value.lifo === true };
    },
  },
  scenario,
  budget: PG_BUDGET,
};
