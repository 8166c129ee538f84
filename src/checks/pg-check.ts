import type { Budget } from '../explorer/explorer.js';
import { formatValue } from '../explorer/format.js';
import type { Label, Scenario, StateRow, TaskOutcome, TaskSpec } from '../explorer/scenario.js';
import { shortName } from '../explorer/stuck.js';
import type { Event, World } from '../explorer/world.js';
import { type Db, describePgError, PgBench, type Seed } from '../postgres/sessions.js';

type Module = Record<string, unknown>;

/** A database schema and what every schedule starts from. */
export interface Database {
  name: string;
  schema: string;
  /** The rows every schedule starts from (see Seed): every other table starts empty. */
  seed: Seed;
}

/** What a call may do besides using its session: act as another service, or die. */
export interface Others {
  /** Run `sql` as another service would, as a step of this call (see PgBench.interfere). */
  interfere(name: string, sql: string): Promise<boolean>;
  /**
   * End this call's database session as a dying process would (see PgBench.terminate): pass it as
   * the `onCrash` of an operation whose failure is a crash (`failure: 'crashes'`).
   */
  terminate(): Promise<void>;
  /** The run's world, for the ports a call hands the learner's code (World.op). */
  world: World;
}

export interface PgScenario {
  name: string;
  /** One call per session, each on its own connection; `mod` is that session's own module instance. */
  calls: { label: string; run: (db: Db, mod: Module, others: Others) => Promise<unknown> }[];
  /** Each session runs its own instance of the module, as separate server processes would. */
  separateProcesses?: boolean;
  /**
   * Calls with the same label are interchangeable: the same code with the same arguments, on
   * sessions alike, judged alike whichever index they have (see TaskSpec.alike).
   */
  alikeByLabel?: boolean;
  /** What a run that never ends means here (see Scenario.endless). */
  endless?: string;
  /** Schedules written by hand that break the usual wrong fixes fast (see Scenario.witnesses). */
  witnesses?: Label[][];
  /** How many operations the explorer may make fail in one schedule (default 0). */
  maxFailures?: number;
  /** The contract lets a call reject with an error of its own (not a database error): `check` judges it. */
  mayReject?: boolean;
  /** The broken invariant, given the tasks' outcomes, the data they left and the run's events. */
  check(
    outcomes: readonly TaskOutcome[],
    read: PgBench['read'],
    events: readonly Event[],
  ): Promise<string | null>;
}

/**
 * A schedule costs milliseconds on a real server: a few schedules per workload, and few workloads.
 * A pass says which workloads were explored exhaustively.
 */
export const PG_BUDGET: Partial<Budget> = { maxSchedules: 40, boundedSchedules: 12, random: 0 };

/** Every task settled, none left a transaction open, and none rejected with a database error. */
async function housekeeping(
  outcomes: readonly TaskOutcome[],
  bench: PgBench,
  mayReject = false,
): Promise<string | null> {
  for (const [task, outcome] of outcomes.entries()) {
    if (await bench.inTransaction(task)) {
      return `${shortName(outcomes, task)} finished with its transaction still open: COMMIT or ROLLBACK on every path (a finally block).`;
    }
    if (outcome.status !== 'rejected') continue;
    const code = (outcome.error as { code?: string }).code;
    if (mayReject && code === undefined) continue;
    const advice =
      code === '40001' || code === '40P01'
        ? ': a serialization failure or deadlock is part of the job here — run the whole transaction again'
        : '';
    return `${shortName(outcomes, task)} rejected with ${describePgError(outcome.error)}${advice}.`;
  }
  return null;
}

/** Most rows of one table shown as the shared state. */
const SHOWN_ROWS = 8;

/** Every table's committed rows, read outside the sessions: what another client would see now. */
async function committedRows(bench: PgBench): Promise<StateRow[]> {
  const tables = await bench.read<{ name: string }>(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
  );
  const rows: StateRow[] = [];
  for (const { name } of tables) {
    const data = await bench.read(`SELECT * FROM "${name}" ORDER BY 1 LIMIT ${SHOWN_ROWS + 1}`);
    if (data.length === 0) rows.push({ label: name, value: '(no rows)' });
    for (const row of data.slice(0, SHOWN_ROWS)) rows.push({ label: name, value: formatValue(row) });
    if (data.length > SHOWN_ROWS) rows.push({ label: name, value: '…' });
  }
  return rows;
}

export function pgScenario(database: Database, spec: PgScenario): Scenario<Module> {
  return {
    name: spec.name,
    endless: spec.endless,
    maxFailures: spec.maxFailures,
    witnesses: spec.witnesses,
    async setup(world, mod, another) {
      const bench = await PgBench.for(database.name, database.schema);
      await bench.reset(spec.calls.length, database.seed);
      const names = spec.calls.map((_, i) => `t${i + 1}`);
      const tasks: TaskSpec[] = spec.calls.map((call, i) => {
        const db = bench.session(world, i, names);
        const own = spec.separateProcesses && i > 0 ? another() : mod;
        const others: Others = {
          interfere: (name, sql) => bench.interfere(world, name, sql),
          terminate: () => bench.terminate(i),
          world,
        };
        return {
          label: `t${i + 1} ${call.label}`,
          ...(spec.alikeByLabel ? { alike: call.label } : {}),
          run: () => call.run(db, own, others),
        };
      });
      return {
        tasks,
        observe: () => committedRows(bench),
        check: async (outcomes) =>
          (await housekeeping(outcomes, bench, spec.mayReject)) ??
          spec.check(outcomes, bench.read.bind(bench), world.events),
      };
    },
  };
}
