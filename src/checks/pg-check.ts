import type { Scenario, TaskOutcome, TaskSpec } from '../explorer/scenario.js';
import { shortName } from '../explorer/stuck.js';
import { type Db, describePgError, PgBench } from '../postgres/sessions.js';

type Module = Record<string, unknown>;

/** A database schema and what every schedule starts from. */
export interface Database {
  name: string;
  schema: string;
  /** Runs before every schedule: empties the tables and loads the data. */
  seed: string;
}

export interface PgScenario {
  name: string;
  /** One call per session, each on its own connection; `mod` is that session's own module instance. */
  calls: { label: string; run: (db: Db, mod: Module) => Promise<unknown> }[];
  /** Each session runs its own instance of the module, as separate server processes would. */
  separateProcesses?: boolean;
  /** The broken invariant, given the tasks' outcomes and the data they left. */
  check(outcomes: readonly TaskOutcome[], read: PgBench['read']): Promise<string | null>;
}

/** Every task settled, none left a transaction open, and none rejected with a database error. */
async function housekeeping(outcomes: readonly TaskOutcome[], bench: PgBench): Promise<string | null> {
  for (const [task, outcome] of outcomes.entries()) {
    if (await bench.inTransaction(task)) {
      return `${shortName(outcomes, task)} finished with its transaction still open: COMMIT or ROLLBACK on every path (a finally block).`;
    }
    if (outcome.status !== 'rejected') continue;
    const code = (outcome.error as { code?: string }).code;
    const advice =
      code === '40001' || code === '40P01'
        ? ': a serialization failure or deadlock is part of the job here — run the whole transaction again'
        : '';
    return `${shortName(outcomes, task)} rejected with ${describePgError(outcome.error)}${advice}.`;
  }
  return null;
}

export function pgScenario(database: Database, spec: PgScenario): Scenario<Module> {
  return {
    name: spec.name,
    async setup(world, mod, another) {
      const bench = await PgBench.for(database.name, database.schema);
      await bench.reset(spec.calls.length, database.seed);
      const names = spec.calls.map((_, i) => `t${i + 1}`);
      const tasks: TaskSpec[] = spec.calls.map((call, i) => {
        const db = bench.session(world, i, names);
        const own = spec.separateProcesses && i > 0 ? another() : mod;
        return { label: `t${i + 1} ${call.label}`, run: () => call.run(db, own) };
      });
      return {
        tasks,
        check: async (outcomes) =>
          (await housekeeping(outcomes, bench)) ?? spec.check(outcomes, bench.read.bind(bench)),
      };
    },
  };
}
