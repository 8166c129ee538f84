import fc from 'fast-check';
import { linearize, type SequentialModel } from '../explorer/linearizability.js';
import type { Db } from '../postgres/sessions.js';
import { arrayOf, type Check, callers, exported, results } from './check.js';
import { type Database, PG_BUDGET, pgScenario } from './pg-check.js';

type GoOffCall = (db: Db, name: string) => Promise<boolean>;

/** Shift 1: alice and bob on call, erin off; shift 2: carol and dave on call. */
const ROTA: Record<string, { shift: number; onCall: boolean }> = {
  alice: { shift: 1, onCall: true },
  bob: { shift: 1, onCall: true },
  erin: { shift: 1, onCall: false },
  carol: { shift: 2, onCall: true },
  dave: { shift: 2, onCall: true },
};
/** Asked about by the workloads: the rota's doctors, and one who is not on it. */
const NAMES = [...Object.keys(ROTA), 'zed'];

/** Doctors asking to go off call at once, each on its own connection. */
export interface OnCallWorkload {
  names: string[];
}

const database: Database = {
  name: 'on-call',
  schema: 'CREATE TABLE doctors (name text PRIMARY KEY, shift int NOT NULL, on_call boolean NOT NULL)',
  seed: {
    doctors: `INSERT INTO doctors VALUES ${Object.entries(ROTA)
      .map(([name, { shift, onCall }]) => `('${name}', ${shift}, ${onCall})`)
      .join(', ')}`,
  },
};

type Rota = ReadonlyMap<string, boolean>;

/**
 * The contract, one request at a time: a doctor on call goes off when another doctor of the shift
 * stays on (true), else stays (false). A doctor already off call, or a name not on the rota, is
 * not taken off call by the request: false, and nothing changes.
 */
const model: SequentialModel<Rota, string> = {
  apply(state, name) {
    const doctor = ROTA[name];
    if (!doctor) return { state, answer: false };
    if (!state.get(name)) return { state, answer: false };
    const onCall = Object.keys(ROTA).filter(
      (other) => ROTA[other]!.shift === doctor.shift && state.get(other),
    );
    if (onCall.length < 2) return { state, answer: false };
    return { state: new Map(state).set(name, false), answer: true };
  },
  key: (state) => [...state].map(([name, on]) => `${name}=${on}`).join(','),
};

function scenario({ names }: OnCallWorkload) {
  return pgScenario(database, {
    name: describe({ names }),
    calls: names.map((doctor) => ({
      label: `goOffCall('${doctor}')`,
      run: (db: Db, mod: Record<string, unknown>) =>
        exported<GoOffCall>(mod, 'goOffCall', 'the function')(db, doctor),
    })),
    async check(outcomes, read) {
      const rows = await read<{ name: string; shift: number; on_call: boolean }>(
        'SELECT name, shift, on_call FROM doctors',
      );
      for (const shift of new Set(Object.values(ROTA).map((doctor) => doctor.shift))) {
        if (!rows.some((row) => row.shift === shift && row.on_call)) {
          return `nobody is on call in shift ${shift} any more after ${results(outcomes)}: the rule is at least one.`;
        }
      }
      const now = new Map(rows.map((row) => [row.name, row.on_call]));
      const initial: Rota = new Map(Object.entries(ROTA).map(([name, doctor]) => [name, doctor.onCall]));
      const same = (state: Rota) =>
        state.size === now.size && [...state].every(([name, on]) => now.get(name) === on);
      if (linearize(model, initial, names, outcomes, { accept: same })) return null;
      const left = rows.filter((row) => row.on_call).map((row) => row.name);
      return `no order of handling the requests one at a time gives ${results(outcomes)} with ${left.join(', ')} on call.`;
    },
  });
}

function describe({ names }: OnCallWorkload): string {
  return callers(names.map((name) => `goOffCall('${name}')`));
}

export const check: Check<OnCallWorkload> = {
  exercise: 'on-call',
  version: 2,
  workloads: {
    arbitrary: fc.record({ names: fc.array(fc.constantFrom(...NAMES), { minLength: 1, maxLength: 3 }) }),
    examples: [
      { names: ['alice', 'bob'] },
      { names: ['alice', 'carol'] },
      { names: ['alice', 'bob', 'erin'] },
      { names: ['zed', 'carol'] },
    ],
    generated: 2,
    describe,
    parse(value) {
      const isName = (x: unknown): x is string => NAMES.includes(x as string);
      const names = (value as { names?: unknown } | null)?.names;
      return arrayOf(names, isName, 1, 3) ? { names } : null;
    },
  },
  scenario,
  budget: PG_BUDGET,
};
