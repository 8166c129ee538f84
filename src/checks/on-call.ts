import type { Db } from '../postgres/sessions.js';
import { type Check, exported, realTimeOrders, results } from './check.js';
import { type Database, pgScenario } from './pg-check.js';

type GoOffCall = (db: Db, name: string) => Promise<boolean>;

/** Shift 1: alice and bob on call, erin off; shift 2: carol and dave on call. */
const ROTA: Record<string, { shift: number; onCall: boolean }> = {
  alice: { shift: 1, onCall: true },
  bob: { shift: 1, onCall: true },
  erin: { shift: 1, onCall: false },
  carol: { shift: 2, onCall: true },
  dave: { shift: 2, onCall: true },
};

const database: Database = {
  name: 'on-call',
  schema: 'CREATE TABLE doctors (name text PRIMARY KEY, shift int NOT NULL, on_call boolean NOT NULL)',
  seed: `TRUNCATE doctors; INSERT INTO doctors VALUES ${Object.entries(ROTA)
    .map(([name, { shift, onCall }]) => `('${name}', ${shift}, ${onCall})`)
    .join(', ')}`,
};

/** The answers and the rota that running the requests one at a time, in `order`, gives. */
function sequential(names: readonly string[], order: readonly number[]) {
  const onCall = new Map(Object.entries(ROTA).map(([name, doctor]) => [name, doctor.onCall]));
  const answers: boolean[] = [];
  for (const i of order) {
    const name = names[i]!;
    const shift = ROTA[name]!.shift;
    const staying = Object.keys(ROTA).filter((other) => ROTA[other]!.shift === shift && onCall.get(other));
    answers[i] = staying.length >= 2;
    if (answers[i]) onCall.set(name, false);
  }
  return { answers, onCall };
}

/** Doctors asking to go off call at once: every shift keeps someone, as one at a time would. */
function requests(name: string, names: string[]) {
  return pgScenario(database, {
    name,
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
      for (const order of realTimeOrders(outcomes)) {
        const { answers, onCall } = sequential(names, order);
        const same = [...onCall].every(([doctor, on]) => now.get(doctor) === on) && now.size === onCall.size;
        if (same && answers.every((answer, i) => outcomes[i]!.value === answer)) return null;
      }
      const left = rows.filter((row) => row.on_call).map((row) => row.name);
      return `no order of handling the requests one at a time gives ${results(outcomes)} with ${left.join(', ')} on call.`;
    },
  });
}

export const check: Check = {
  exercise: 'on-call',
  scenarios: [
    requests('both doctors on call in shift 1 ask to leave', ['alice', 'bob']),
    requests('doctors of two different shifts ask to leave', ['alice', 'carol']),
  ],
  budget: { maxSchedules: 50, random: 10 },
};
