import fc from 'fast-check';
import { formatValue } from '../explorer/format.js';
import type { TaskOutcome } from '../explorer/scenario.js';
import { shortName } from '../explorer/stuck.js';
import type { Db } from '../postgres/sessions.js';
import { arrayOf, type Check, callers, exported, isRecord, results, schedule } from './check.js';
import { type Database, PG_BUDGET, pgScenario } from './pg-check.js';

type Module = Record<string, unknown>;

/** The database clock when a schedule starts; Node's virtual clock (EPOCH_MS, 1 January) disagrees. */
const T0 = '2026-11-30 20:00:00+00';
const T0_MS = Date.parse('2026-11-30T20:00:00Z');
const MINUTE_MS = 60_000;
const HOLD_MINUTES = 15;
const SEATS = [1, 2, 3, 4];
/** Customers of the new holds, one per hold call in call order (the seeded holds are ann's, ben's and cat's). */
const CUSTOMERS = ['dan', 'eve', 'fay'];
/** Hold ids a confirm may name: the seeded ones, and one that does not exist. */
const HOLD_IDS = [1, 2, 3, 9];

type Status = 'HELD' | 'CONFIRMED' | 'EXPIRED';

interface Hold {
  customer: string;
  seat: number;
  status: Status;
  /** Minutes after T0. */
  expires: number;
}

/**
 * Seat 1: ann's hold, live for 5 more minutes. Seat 2: ben's hold, expired a minute ago and not
 * yet swept. Seat 3: sold to cat. Seat 4: free.
 */
const SEEDED: ReadonlyMap<number, Hold> = new Map([
  [1, { customer: 'ann', seat: 1, status: 'HELD', expires: 5 }],
  [2, { customer: 'ben', seat: 2, status: 'HELD', expires: -1 }],
  [3, { customer: 'cat', seat: 3, status: 'CONFIRMED', expires: -10 }],
]);

/** One caller: a checkout holding a seat, a payment callback, the sweeper job, or time passing. */
export type Call = { hold: number } | { confirm: number } | { sweep: true } | { tick: number };

export interface SeatHoldWorkload {
  calls: Call[];
}

const at = (minutes: number) => `timestamptz '${T0}' + interval '${minutes} minutes'`;

const database: Database = {
  name: 'seat-hold',
  // now() reads a clock the checker moves, frozen for the rest of the transaction once read (in
  // PostgreSQL it is the transaction's start time). Functions in public shadow pg_catalog's once
  // search_path puts public first, in every session opened after this.
  schema: `CREATE TABLE seats (id int PRIMARY KEY, label text NOT NULL);
    CREATE TABLE holds (
      id serial PRIMARY KEY,
      seat_id int NOT NULL REFERENCES seats,
      customer text NOT NULL,
      status text NOT NULL CHECK (status IN ('HELD', 'CONFIRMED', 'EXPIRED')),
      expires_at timestamptz NOT NULL);
    CREATE TABLE clock (t timestamptz NOT NULL);
    CREATE FUNCTION public.now() RETURNS timestamptz LANGUAGE plpgsql VOLATILE AS $f$
      DECLARE v text := current_setting('racelings.now', true);
      BEGIN
        IF v IS NULL OR v = '' THEN
          SELECT t::text INTO v FROM public.clock;
          PERFORM set_config('racelings.now', v, true);
        END IF;
        RETURN v::timestamptz;
      END $f$;
    CREATE FUNCTION public.transaction_timestamp() RETURNS timestamptz LANGUAGE sql VOLATILE AS 'SELECT public.now()';
    CREATE FUNCTION public.statement_timestamp() RETURNS timestamptz LANGUAGE sql STABLE AS 'SELECT t FROM public.clock';
    CREATE FUNCTION public.clock_timestamp() RETURNS timestamptz LANGUAGE sql VOLATILE AS 'SELECT t FROM public.clock';
    DO $$ BEGIN
      EXECUTE format('ALTER DATABASE %I SET search_path = public, pg_catalog', current_database());
    END $$`,
  seed: {
    clock: `INSERT INTO clock VALUES (timestamptz '${T0}')`,
    seats: `INSERT INTO seats VALUES ${SEATS.map((id) => `(${id}, 'B${id}')`).join(', ')}`,
    holds: `INSERT INTO holds (id, seat_id, customer, status, expires_at) VALUES ${[...SEEDED]
      .map(([id, h]) => `(${id}, ${h.seat}, '${h.customer}', '${h.status}', ${at(h.expires)})`)
      .join(', ')}; SELECT setval('holds_id_seq', 3)`,
  },
};

/** The model: every hold (by id for the seeded ones, by customer for new ones) and the clock. */
interface State {
  clock: number;
  holds: ReadonlyMap<string, Hold>;
}

const keyOf = (id: number) => `#${id}`;
const live = (h: Hold, clock: number) => h.status === 'HELD' && h.expires > clock;

/**
 * The contract, one call at a time, at the clock's current value. Which lapsed holds are already
 * marked EXPIRED is not observable except through sweep's count: before each call, any of them may
 * have been marked (by a hold that tidies up its seat, say) — so `apply` answers every possibility.
 * A new hold expires at `expires` (minutes after T0): judged apart, since it counts from the clock
 * as the hold's transaction read it, which may be a moment before the hold takes effect.
 */
function apply(
  state: State,
  call: Call,
  customer: string,
  expires: number,
): { state: State; answer: unknown }[] {
  const lapsed = [...state.holds].filter(([, h]) => h.status === 'HELD' && h.expires <= state.clock);
  const outcomes: { state: State; answer: unknown }[] = [];
  for (let mask = 0; mask < 1 << lapsed.length; mask++) {
    const holds = new Map(state.holds);
    lapsed.forEach(([key, h], i) => {
      if (mask & (1 << i)) holds.set(key, { ...h, status: 'EXPIRED' });
    });
    outcomes.push(step({ clock: state.clock, holds }, call, customer, expires));
  }
  return outcomes;
}

function step(
  state: State,
  call: Call,
  customer: string,
  expires: number,
): { state: State; answer: unknown } {
  const holds = new Map(state.holds);
  if ('tick' in call) return { state: { clock: state.clock + call.tick, holds }, answer: null };
  if ('sweep' in call) {
    let marked = 0;
    for (const [key, h] of holds) {
      if (h.status === 'HELD' && h.expires <= state.clock) {
        holds.set(key, { ...h, status: 'EXPIRED' });
        marked++;
      }
    }
    return { state: { ...state, holds }, answer: marked };
  }
  if ('confirm' in call) {
    const h = holds.get(keyOf(call.confirm));
    if (h?.status === 'CONFIRMED') return { state, answer: true };
    if (!h || !live(h, state.clock)) return { state, answer: false };
    holds.set(keyOf(call.confirm), { ...h, status: 'CONFIRMED' });
    return { state: { ...state, holds }, answer: true };
  }
  const taken = [...holds.values()].some(
    (h) => h.seat === call.hold && (h.status === 'CONFIRMED' || live(h, state.clock)),
  );
  if (taken) return { state, answer: 'taken' };
  holds.set(customer, { customer, seat: call.hold, status: 'HELD', expires });
  return { state: { ...state, holds }, answer: 'held' };
}

const stateKey = (s: State) =>
  `${s.clock}|${[...s.holds]
    .map(([k, h]) => `${k}:${h.status}`)
    .sort()
    .join(',')}`;

/**
 * Linearizability with a nondeterministic model: an order of the calls that respects real time, in
 * which every call answers what one of the model's possibilities answers, ending in `accept`ed state.
 */
function linearizable(
  calls: readonly Call[],
  customers: readonly string[],
  expiries: readonly number[],
  outcomes: readonly TaskOutcome[],
  matches: (call: number, answer: unknown) => boolean,
  accept: (state: State) => boolean,
): boolean {
  const before = calls.map((_, i) =>
    calls
      .map((_, j) => j)
      .filter(
        (j) =>
          j !== i &&
          outcomes[j]!.settledAt >= 0 &&
          outcomes[i]!.arrivedAt >= 0 &&
          outcomes[j]!.settledAt < outcomes[i]!.arrivedAt,
      ),
  );
  const failed = new Set<string>();
  const placed = new Set<number>();
  const search = (state: State): boolean => {
    if (placed.size === calls.length) return accept(state);
    const memo = `${[...placed].sort().join(',')}|${stateKey(state)}`;
    if (failed.has(memo)) return false;
    for (const [i, call] of calls.entries()) {
      if (placed.has(i) || before[i]!.some((j) => !placed.has(j))) continue;
      for (const next of apply(state, call, customers[i]!, expiries[i]!)) {
        if (!matches(i, next.answer)) continue;
        placed.add(i);
        const found = search(next.state);
        placed.delete(i);
        if (found) return true;
      }
    }
    failed.add(memo);
    return false;
  };
  return search({ clock: 0, holds: SEEDED_STATE });
}

const SEEDED_STATE: ReadonlyMap<string, Hold> = new Map([...SEEDED].map(([id, h]) => [keyOf(id), h]));

function label(call: Call, customer: string): string {
  if ('hold' in call) return `hold(${call.hold}, '${customer}')`;
  if ('confirm' in call) return `confirm(${call.confirm})`;
  if ('sweep' in call) return 'sweep()';
  return `the clock moves ${call.tick} minutes on`;
}

/**
 * A confirm that reads the hold, the clock reaching its expiry, a sweep that commits, then the
 * confirm's write: the window of a confirm that reads, then writes.
 */
function witnesses(calls: readonly Call[]) {
  const c = calls.findIndex((call) => 'confirm' in call);
  const s = calls.findIndex((call) => 'sweep' in call);
  const k = calls.findIndex((call) => 'tick' in call);
  if (c < 0 || s < 0 || k < 0) return [];
  return [schedule(`a${c} r${c}.0 a${k} r${k}.0 a${s} r${s}.0 r${s}.0 r${c}.1 r${c}.1`)];
}

/** The customer of each hold call (a placeholder for the others). */
const customersOf = (calls: readonly Call[]) => {
  let next = 0;
  return calls.map((call) => ('hold' in call ? CUSTOMERS[next++]! : ''));
};

type Row = {
  id: number;
  seat_id: number;
  customer: string;
  status: Status;
  /** Minutes after T0. */
  expires: number;
};

function scenario(workload: SeatHoldWorkload) {
  const { calls } = workload;
  const customers = customersOf(calls);
  const refusals = new WeakSet<object>();
  return pgScenario(database, {
    name: describe(workload),
    separateProcesses: true,
    mayReject: true,
    witnesses: witnesses(calls),
    calls: calls.map((call, i) => ({
      label: label(call, customers[i]!),
      async run(db: Db, mod: Module, others) {
        if ('tick' in call) {
          await others.interfere(
            `clock + ${call.tick} min`,
            `UPDATE clock SET t = t + interval '${call.tick} minutes'`,
          );
          return null;
        }
        if ('sweep' in call) return exported<(db: Db) => Promise<number>>(mod, 'sweep', 'the function')(db);
        if ('confirm' in call) {
          return exported<(db: Db, id: number) => Promise<boolean>>(
            mod,
            'confirm',
            'the function',
          )(db, call.confirm);
        }
        const hold = exported<(db: Db, seat: number, customer: string) => Promise<number>>(
          mod,
          'hold',
          'the function',
        );
        try {
          return await hold(db, call.hold, customers[i]!);
        } catch (error) {
          const SeatTaken = mod.SeatTaken;
          if (typeof SeatTaken === 'function' && error instanceof SeatTaken) refusals.add(error);
          throw error;
        }
      },
    })),
    async check(outcomes, read, events) {
      const rows = await read<Row>(
        `SELECT id, seat_id, customer, status, round(extract(epoch FROM expires_at - timestamptz '${T0}') / 60)::int AS expires FROM holds ORDER BY id`,
      );
      const [{ clock } = { clock: 0 }] = await read<{ clock: number }>(
        `SELECT round(extract(epoch FROM t - timestamptz '${T0}') / 60)::int AS clock FROM clock`,
      );
      const ticks = events.flatMap((e) => {
        const minutes = /^clock \+ (\d+) min$/.exec(e.op)?.[1];
        return minutes && e.result === '→ changed' ? [{ step: e.step, minutes: Number(minutes) }] : [];
      });
      return judge(calls, customers, outcomes, ticks, rows, clock, refusals);
    },
  });
}

/** The clock moved `minutes` on at explorer step `step`. */
interface Tick {
  step: number;
  minutes: number;
}

/** The values (minutes after T0) the database clock had from a call's arrival to its settling. */
function clockDuring(ticks: readonly Tick[], outcome: TaskOutcome): number[] {
  const end = outcome.settledAt < 0 ? Number.POSITIVE_INFINITY : outcome.settledAt;
  let clock = 0;
  const values: number[] = [];
  for (const tick of ticks) {
    if (tick.step > end) break;
    if (tick.step > outcome.arrivedAt) values.push(clock);
    clock += tick.minutes;
  }
  return [...values, clock].filter((v, i, all) => all.indexOf(v) === i);
}

/** "20:05", or with its date when the clock is on another day than the schedule's start. */
const minutesText = (m: number) => {
  const iso = new Date(T0_MS + m * MINUTE_MS).toISOString();
  return iso.slice(0, 10) === T0.slice(0, 10)
    ? iso.slice(11, 16)
    : `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
};

/** The broken rule, given the outcomes, the holds at the end and the database clock (minutes after T0). */
function judge(
  calls: readonly Call[],
  customers: readonly string[],
  outcomes: readonly TaskOutcome[],
  ticks: readonly Tick[],
  rows: readonly Row[],
  clock: number,
  refusals: WeakSet<object>,
): string | null {
  for (const [task, call] of calls.entries()) {
    const outcome = outcomes[task]!;
    if (outcome.status !== 'rejected') continue;
    const name = shortName(outcomes, task);
    if (!('hold' in call))
      return `${name} threw ${formatValue(outcome.error)}: only hold may refuse (with SeatTaken).`;
    if (!refusals.has(outcome.error as object)) {
      return `${name} threw ${formatValue(outcome.error)}: a taken seat throws SeatTaken (the exported class), and hold throws nothing else.`;
    }
  }
  // A new hold's expiry counts from the database clock as its transaction read it: some value the
  // clock had while the call ran.
  for (const [task, call] of calls.entries()) {
    const row = rows.find((r) => r.id > 3 && r.customer === customers[task]);
    if (!('hold' in call) || !row) continue;
    const during = clockDuring(ticks, outcomes[task]!);
    if (during.includes(row.expires - HOLD_MINUTES)) continue;
    return `${row.customer}'s hold of seat ${row.seat_id} expires at ${minutesText(row.expires)}, which is not 15 minutes after the database clock while ${shortName(outcomes, task)} ran (${during.map(minutesText).join(', then ')}): compute expires_at with now() in SQL — Node's clock is not the database's.`;
  }
  for (const seat of SEATS) {
    const holding = rows.filter(
      (r) => r.seat_id === seat && (r.status === 'CONFIRMED' || (r.status === 'HELD' && r.expires > clock)),
    );
    if (holding.length > 1) {
      return `seat ${seat} ends with ${holding.length} live or confirmed holds (${holding.map((r) => `${r.customer}'s, ${r.status}`).join('; ')}): a seat has one at a time.`;
    }
  }
  const byId = new Map(rows.map((r) => [r.id, r]));
  const matches = (call: number, answer: unknown) => {
    const outcome = outcomes[call]!;
    if (answer === 'taken') return outcome.status === 'rejected';
    if (answer === 'held') {
      const row = outcome.status === 'resolved' ? byId.get(outcome.value as number) : undefined;
      return row !== undefined && row.customer === customers[call];
    }
    return outcome.status === 'resolved' && (answer === null || outcome.value === answer);
  };
  const accept = (state: State) => {
    if (state.clock !== clock || state.holds.size !== rows.length) return false;
    return rows.every((r) => {
      const h = state.holds.get(r.id <= 3 ? keyOf(r.id) : r.customer);
      return h !== undefined && h.seat === r.seat_id && h.status === r.status && h.expires === r.expires;
    });
  };
  const expiries = calls.map(
    (_, task) => rows.find((r) => r.id > 3 && r.customer === customers[task])?.expires ?? 0,
  );
  if (linearizable(calls, customers, expiries, outcomes, matches, accept)) return null;
  const shown = rows.map(
    (r) => `${r.id} ${r.customer} seat ${r.seat_id} ${r.status} until ${minutesText(r.expires)}`,
  );
  return `no order of running the calls one at a time, at the database clock's moments, gives ${results(outcomes)} with the holds as they are (${shown.join('; ')}; clock ${minutesText(clock)}).`;
}

function describe({ calls }: SeatHoldWorkload): string {
  const customers = customersOf(calls);
  return `${callers(calls.map((call, i) => label(call, customers[i]!)))}; at ${minutesText(0)} hold 1 (ann, seat 1) has 5 minutes left, hold 2 (ben, seat 2) expired a minute ago unswept, seat 3 is sold (hold 3), seat 4 is free`;
}

const EXAMPLES: SeatHoldWorkload[] = [
  { calls: [{ hold: 4 }, { hold: 4 }] },
  { calls: [{ hold: 2 }, { confirm: 2 }] },
  { calls: [{ confirm: 1 }, { sweep: true }, { tick: 5 }] },
  { calls: [{ confirm: 1 }, { hold: 1 }, { tick: 5 }] },
  { calls: [{ confirm: 1 }, { confirm: 1 }] },
  { calls: [{ hold: 4 }, { tick: 15 }, { sweep: true }] },
];

const isCall = (x: unknown): x is Call => {
  if (!isRecord(x)) return false;
  const keys = Object.keys(x);
  if (keys.length !== 1) return false;
  if ('hold' in x) return SEATS.includes(x.hold as number);
  if ('confirm' in x) return HOLD_IDS.includes(x.confirm as number);
  if ('sweep' in x) return x.sweep === true;
  return x.tick === 5 || x.tick === 15;
};

export const check: Check<SeatHoldWorkload> = {
  exercise: 'seat-hold',
  version: 1,
  workloads: {
    arbitrary: fc.record({
      calls: fc.array(
        fc.oneof(
          fc.record({ hold: fc.constantFrom(...SEATS) }),
          fc.record({ confirm: fc.constantFrom(...HOLD_IDS) }),
          fc.constant<Call>({ sweep: true }),
          fc.record({ tick: fc.constantFrom(5, 15) }),
        ),
        { minLength: 1, maxLength: 3 },
      ),
    }),
    examples: EXAMPLES,
    generated: 2,
    describe,
    parse(value) {
      const calls = isRecord(value) ? value.calls : undefined;
      return arrayOf(calls, isCall, 1, 3) && calls.filter((c) => 'hold' in c).length <= CUSTOMERS.length
        ? { calls }
        : null;
    },
  },
  scenario,
  budget: PG_BUDGET,
};
