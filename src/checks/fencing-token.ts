import fc from 'fast-check';
import { formatValue } from '../explorer/format.js';
import type { Scenario, StateRow, TaskOutcome } from '../explorer/scenario.js';
import { shortName } from '../explorer/stuck.js';
import { describePgError, PgBench } from '../postgres/sessions.js';
import { arrayOf, type Check, callers, exported, isRecord, type Module } from './check.js';
import { PG_BUDGET } from './pg-check.js';
import { servers } from './redis-check.js';

const LOCK = 'lock:report:daily';
/** The lease every server asks for, in ms. */
const TTL = 10_000;
/**
 * A server that comes a day later: any lease a paused holder took has run out by then, however long
 * (a lease ten or a thousand times longer only needs a longer pause).
 */
const LATER = 86_400_000;

const DATABASE = {
  name: 'fencing-token',
  schema: 'CREATE TABLE reports (id text PRIMARY KEY, body text NOT NULL, fence integer NOT NULL DEFAULT 0)',
  seed: { reports: "INSERT INTO reports VALUES ('daily', '', 0)" },
};

/**
 * One run of the report job: the server (1 to 3) it runs on, when it comes (ms; none: any time), and
 * where its process pauses (a GC pause, a VM migration): before its `pause`-th call to Redis, to
 * PostgreSQL or to render (counting from 0), until every other run has finished or waits for it.
 */
interface Run {
  server: number;
  at?: number;
  pause?: number;
}

export interface FencingWorkload {
  runs: Run[];
}

interface ReportJobClass {
  new (
    redis: unknown,
    db: unknown,
    options: { ttlMs: number; owner: string },
  ): { run(render: (report: string) => Promise<string>): Promise<unknown> };
}

const serverName = (server: number) => `server-${server}`;

function describeRun(run: Run): string {
  const at = run.at === undefined ? '' : ` ${run.at === LATER ? 'a day later' : `at ${run.at} ms`}`;
  const pause = run.pause === undefined ? '' : `, paused before its call ${run.pause + 1}`;
  return `run() on ${serverName(run.server)}${at}${pause}`;
}

/**
 * `target` (a connection) with `gate` awaited before each call it sends: for a Redis port, every
 * command (a MULTI's commands go at its exec); for a database session, every query.
 */
function gated<T extends object>(target: T, gate: () => Promise<void>): T {
  return new Proxy(target, {
    get(object, prop) {
      const value: unknown = Reflect.get(object, prop);
      if (typeof value !== 'function') return value;
      if (prop === 'multi') {
        return () => {
          const builder = (value as () => unknown)() as Record<string, (...args: unknown[]) => unknown>;
          const wrapped: object = new Proxy(builder, {
            get(inner, name) {
              const method = Reflect.get(inner, name);
              if (typeof method !== 'function') return method;
              if (name === 'exec') return () => gate().then(() => method());
              return (...args: unknown[]) => {
                method(...args);
                return wrapped;
              };
            },
          });
          return wrapped;
        };
      }
      return (...args: unknown[]) =>
        gate().then(() => (value as (...a: unknown[]) => unknown).apply(object, args));
    },
  });
}

function describe({ runs }: FencingWorkload): string {
  return `${callers(runs.map(describeRun))}; lease ${TTL} ms`;
}

/** Each run's part of the report: what its render adds. */
const partOf = (run: number) => `[t${run + 1}]`;

function scenario(workload: FencingWorkload): Scenario<Module> {
  const { runs } = workload;
  const count = Math.max(...runs.map((r) => r.server));
  return {
    name: describe(workload),
    async setup(world, mod, another) {
      /** The run whose token the lock holds now, and runs whose lease ran out while they were under way. */
      let holder: number | null = null;
      const tookLock = new Set<number>();
      const leaseLost = new Set<number>();
      const settled = new Set<number>();
      const { modules, ports } = await servers(world, mod, another, count, {
        watch: [LOCK],
        observe(seen) {
          if (seen.expired.includes(LOCK) && holder !== null) {
            if (!settled.has(holder)) leaseLost.add(holder);
            holder = null;
          }
          const [before] = seen.before;
          const [after] = seen.after;
          if (before === after) return;
          if (after === null) holder = null;
          else {
            holder = seen.task;
            tookLock.add(seen.task);
          }
        },
      });
      const bench = await PgBench.for(DATABASE.name, DATABASE.schema);
      await bench.reset(count, DATABASE.seed);
      const names = Array.from({ length: count }, (_, i) => serverName(i + 1));
      const sessions = names.map((_, i) => bench.session(world, i, names));
      const arrived = new Set<number>();
      /** A paused run waits while any other run has yet to come or can still take a step. */
      const paused = (run: number) => () => {
        const others = runs.map((_, i) => i).filter((i) => i !== run && !settled.has(i));
        const busy = others.some(
          (i) => !arrived.has(i) || [...world.pending.values()].some((op) => op.task === i && op.enabled()),
        );
        return busy ? `${serverName(runs[run]!.server)} is paused` : null;
      };
      /** Before a paused run's call number `pause`, the pause: a step held back while others can move. */
      const gateOf = (run: number) => {
        const at = runs[run]!.pause;
        let calls = 0;
        return async () => {
          if (at === undefined || calls++ !== at) return;
          await world.op('pause', [serverName(runs[run]!.server)], () => 'resumes', {
            heldBack: paused(run),
            describe: (v) => v,
            touches: [{ object: 'pause', key: String(run), write: true }],
          });
        };
      };
      const gates = runs.map((_, run) => gateOf(run));
      const jobs = runs.map(({ server }, run) => {
        const m = modules[server - 1]!;
        const Job = exported<ReportJobClass>(m, 'ReportJob', 'the class');
        const options = { ttlMs: TTL, owner: serverName(server) };
        const port = ports[server - 1]!;
        const db = sessions[server - 1]!;
        return runs[run]!.pause === undefined
          ? new Job(port, db, options)
          : new Job(gated(port, gates[run]!), gated(db, gates[run]!), options);
      });
      /** What each run's render calls were given. */
      const rendered: string[][] = runs.map(() => []);
      const render = (run: number) => async (report: string) => {
        await gates[run]!();
        return world.op(
          'render',
          [report],
          () => {
            rendered[run]!.push(String(report));
            return `${report}${partOf(run)}`;
          },
          { touches: [{ object: 'render', key: String(run), write: true }] },
        );
      };

      return {
        tasks: runs.map((spec, run) => ({
          label: `t${run + 1} ${describeRun(spec)}`,
          at: spec.at,
          run: () => {
            arrived.add(run);
            return jobs[run]!.run(render(run));
          },
        })),
        onSettle(task) {
          settled.add(task);
        },
        observe: async (): Promise<StateRow[]> => {
          const rows = await bench.read<{ body: string; fence: number }>(
            "SELECT body, fence FROM reports WHERE id = 'daily'",
          );
          return rows.map((r) => ({
            label: 'reports daily',
            value: `body ${formatValue(r.body)}, fence ${r.fence}`,
          }));
        },
        async check(outcomes) {
          for (let session = 0; session < count; session++) {
            if (await bench.inTransaction(session)) {
              return `${serverName(session + 1)} finished with its transaction still open: COMMIT or ROLLBACK on every path (a finally block).`;
            }
          }
          const [row] = await bench.read<{ body: string }>("SELECT body FROM reports WHERE id = 'daily'");
          return judge(outcomes, String(row?.body ?? ''));
        },
      };

      function judge(outcomes: readonly TaskOutcome[], body: string): string | null {
        const name = (run: number) => shortName(outcomes, run);
        for (const [run, outcome] of outcomes.entries()) {
          if (outcome.status === 'rejected') {
            return `${name(run)}'s run threw ${describePgError(outcome.error)}: run must answer true or false, never reject.`;
          }
          if (outcome.status === 'resolved' && typeof outcome.value !== 'boolean') {
            return `${name(run)}'s run answered ${formatValue(outcome.value)}: it answers true or false.`;
          }
        }
        const parts: string[] = body.match(/\[t\d+\]/g) ?? [];
        if (parts.join('') !== body) {
          return `the report holds ${formatValue(body)}, which is not the parts the runs rendered: write what render gave.`;
        }
        const lost = (run: number) =>
          leaseLost.has(run) ? ' (its lease had run out while it was paused)' : '';
        const final = `the final report is ${formatValue(body)}`;
        for (const [run, outcome] of outcomes.entries()) {
          const at = parts.indexOf(partOf(run));
          if (outcome.value === true && at < 0) {
            if (leaseLost.has(run)) {
              return `a write from a holder whose lease had expired: ${name(run)}'s lease ran out while it was paused and a newer run took the lock; ${name(run)} still answered true, but ${final}: its write was refused without its knowing, or accepted and then replaced. The storage must refuse a write from a holder that a newer one replaced — a fencing token it checks — and run must answer whether the write landed.`;
            }
            const zombie = runs.findIndex(
              (_, other) => other !== run && leaseLost.has(other) && parts.includes(partOf(other)),
            );
            return zombie >= 0
              ? `a write from a holder whose lease had expired: ${name(run)} answered true, but ${final} — ${name(zombie)}, whose lease ran out while it was paused, wrote the report it had rendered from an older text after ${name(run)} held the lock. The storage must refuse a write from a holder that a newer one replaced: a fencing token it checks.`
              : `${name(run)} answered true, but its part is not in the report: ${final}.`;
          }
          if (outcome.value === false && at >= 0) {
            return `${name(run)} answered false, but its part is in the report: ${final}. Answer whether the write landed.`;
          }
          if (at >= 0 && parts.lastIndexOf(partOf(run)) !== at) {
            return `${name(run)}'s part is in the report twice: ${final}.`;
          }
          if (at >= 0 && !rendered[run]!.includes(parts.slice(0, at).join(''))) {
            const saw = rendered[run]!.map((r) => formatValue(r)).join(' or ');
            return `a write from a holder whose lease had expired: ${name(run)}${lost(run)} rendered from ${saw}, but its part follows ${formatValue(parts.slice(0, at).join(''))} in the report (${final}) — a newer run's part was lost under it. The storage must refuse a write from a holder that a newer one replaced: a fencing token it checks, on the read as on the write.`;
          }
        }
        if (leaseLost.size === 0) {
          for (const [run, outcome] of outcomes.entries()) {
            if (tookLock.has(run) && outcome.value === false) {
              return `${name(run)} took the lock and answered false, though no lease ran out in this schedule: a run that holds a live lease must get its part written. Its token must be larger than every token the storage has seen — one sequence for every server.`;
            }
          }
        }
        return null;
      }
    },
  };
}

/** The calls of a run a pause may come before (its Redis commands, statements and render): 1 to 5. */
const PAUSE_POINTS = 5;

const EXAMPLES: FencingWorkload[] = [
  // One after the other, or at once, no lease running out: every run that takes the lock lands.
  { runs: [{ server: 1 }, { server: 2 }] },
  // The zombie: the first holder pauses past its lease at each point in turn (the last check before
  // the write included); the next server comes a day later.
  ...Array.from({ length: PAUSE_POINTS }, (_, i) => ({
    runs: [
      { server: 1, pause: i + 1 },
      { server: 2, at: LATER },
    ],
  })),
];

const isRun = (x: unknown): x is Run =>
  isRecord(x) &&
  Number.isInteger(x.server) &&
  (x.server as number) >= 1 &&
  (x.server as number) <= 3 &&
  (x.at === undefined || x.at === LATER) &&
  (x.pause === undefined ||
    (Number.isInteger(x.pause) && (x.pause as number) >= 0 && (x.pause as number) < 20));

export const check: Check<FencingWorkload> = {
  exercise: 'fencing-token',
  version: 1,
  workloads: {
    arbitrary: fc.record({
      runs: fc.uniqueArray(
        fc.record(
          {
            server: fc.integer({ min: 1, max: 3 }),
            at: fc.constant(LATER),
            pause: fc.integer({ min: 1, max: PAUSE_POINTS }),
          },
          { requiredKeys: ['server'] },
        ),
        { minLength: 2, maxLength: 3, selector: (r) => r.server },
      ),
    }),
    examples: EXAMPLES,
    generated: 0,
    describe,
    parse(value) {
      if (!isRecord(value) || !arrayOf(value.runs, isRun, 1, 3)) return null;
      return { runs: value.runs };
    },
  },
  scenario,
  // A pause fixes where the lease runs out: few interleavings are left to each workload.
  budget: { ...PG_BUDGET, maxSchedules: 12, random: 0 },
};
