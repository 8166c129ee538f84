import fc from 'fast-check';
import { formatValue } from '../explorer/format.js';
import { linearize, type SequentialModel } from '../explorer/linearizability.js';
import type { TaskOutcome } from '../explorer/scenario.js';
import { shortName } from '../explorer/stuck.js';
import type { Db } from '../postgres/sessions.js';
import { arrayOf, type Check, callers, exported, isRecord, results } from './check.js';
import { type Database, PG_BUDGET, pgScenario } from './pg-check.js';

type Book = (db: Db, customer: string, seatIds: number[]) => Promise<void>;
type Module = Record<string, unknown>;

const SEATS = [1, 2, 3, 4];
/** One customer per caller, in caller order. */
const CUSTOMERS = ['ann', 'ben', 'cat'];
/** Seat 3's only booking was cancelled (the seat is free); seat 4 is zoe's. */
const SEEDED: ReadonlyMap<number, string> = new Map([[4, 'zoe']]);

/** Customers booking groups of seats at once, each request served by its own API server. */
export interface SeatBookingWorkload {
  groups: number[][];
}

const database: Database = {
  name: 'seat-booking',
  schema: `CREATE TABLE seats (id int PRIMARY KEY, label text NOT NULL);
    CREATE TABLE bookings (
      id serial PRIMARY KEY,
      seat_id int NOT NULL REFERENCES seats,
      customer text NOT NULL,
      status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'cancelled')));
    CREATE UNIQUE INDEX one_active_booking_per_seat ON bookings (seat_id) WHERE status = 'active'`,
  seed: {
    seats: `INSERT INTO seats VALUES ${SEATS.map((id) => `(${id}, 'A${id}')`).join(', ')}`,
    bookings:
      "INSERT INTO bookings (seat_id, customer, status) VALUES (3, 'kim', 'cancelled'), (4, 'zoe', 'active')",
  },
};

/** Who holds each seat (active bookings only). */
type Holders = ReadonlyMap<number, string>;

interface Request {
  customer: string;
  seats: number[];
}

/** The answer of one booking: booked, or refused naming the seats someone else holds (any of them may be named). */
type Answer = { booked: true } | { taken: number[] };

/** The contract, one booking at a time: every seat of the group when all are free, else none and SeatTaken. */
const model: SequentialModel<Holders, Request> = {
  apply(state, { customer, seats }) {
    const taken = seats.filter((seat) => state.has(seat));
    if (taken.length > 0) return { state, answer: { taken } satisfies Answer };
    const next = new Map(state);
    for (const seat of seats) next.set(seat, customer);
    return { state: next, answer: { booked: true } satisfies Answer };
  },
  key: (state) => [...state].map(([seat, who]) => `${seat}=${who}`).join(','),
};

const label = ({ customer, seats }: Request) => `book('${customer}', [${seats.join(', ')}])`;
const seatList = (seats: readonly number[]) =>
  seats.length === 1 ? `seat ${seats[0]}` : `seats ${seats.join(', ')}`;

/** The seat a SeatTaken names, when `error` is one. */
function takenSeat(error: unknown, refusals: WeakSet<object>): number | null {
  if (typeof error !== 'object' || error === null || !refusals.has(error)) return null;
  const seat = (error as { seatId?: unknown }).seatId;
  return typeof seat === 'number' ? seat : null;
}

function scenario(workload: SeatBookingWorkload) {
  const requests: Request[] = workload.groups.map((seats, i) => ({ customer: CUSTOMERS[i]!, seats }));
  // Errors that are instances of the module's own SeatTaken class (each server has its own copy).
  const refusals = new WeakSet<object>();
  return pgScenario(database, {
    name: describe(workload),
    separateProcesses: true,
    mayReject: true,
    calls: requests.map((request) => ({
      label: label(request),
      async run(db: Db, mod: Module) {
        const book = exported<Book>(mod, 'book', 'the function');
        const SeatTaken = mod.SeatTaken;
        try {
          return await book(db, request.customer, [...request.seats]);
        } catch (error) {
          if (typeof SeatTaken === 'function' && error instanceof SeatTaken) refusals.add(error);
          throw error;
        }
      },
    })),
    async check(outcomes, read) {
      const rows = await read<{ seat_id: number; customer: string; status: string }>(
        'SELECT seat_id, customer, status FROM bookings ORDER BY id',
      );
      const holders = new Map(rows.filter((r) => r.status === 'active').map((r) => [r.seat_id, r.customer]));
      if (holders.get(4) !== 'zoe') return "zoe's booking of seat 4 is gone, but nobody cancelled it.";
      if (!rows.some((r) => r.seat_id === 3 && r.customer === 'kim' && r.status === 'cancelled')) {
        return "kim's cancelled booking of seat 3 changed, but nobody touched it.";
      }
      return judge(requests, outcomes, holders, refusals);
    },
  });
}

/** The broken rule, given each booking's outcome and who holds each seat at the end. */
function judge(
  requests: readonly Request[],
  outcomes: readonly TaskOutcome[],
  holders: Holders,
  refusals: WeakSet<object>,
): string | null {
  for (const [task, { customer, seats }] of requests.entries()) {
    const outcome = outcomes[task]!;
    const name = shortName(outcomes, task);
    const held = seats.filter((seat) => holders.get(seat) === customer);
    const stray = [...holders].filter(([seat, who]) => who === customer && !seats.includes(seat));
    if (stray.length > 0) {
      return `${customer} holds ${seatList(stray.map(([seat]) => seat))}, which ${name} never asked for.`;
    }
    if (outcome.status === 'rejected') {
      const seat = takenSeat(outcome.error, refusals);
      if (seat === null) {
        return `${name} threw ${formatValue(outcome.error)}: a refused group throws SeatTaken (the exported class), and book throws nothing else.`;
      }
      if (held.length > 0) {
        return `${name} was refused (${formatValue(outcome.error)}), yet ${customer} holds ${seatList(held)}: a refused group must book none of its seats.`;
      }
      if (!seats.includes(seat)) {
        return `${name} was refused naming seat ${seat}, which is not in its group [${seats.join(', ')}]: name a seat of the group that someone else holds.`;
      }
      if (!holders.has(seat)) {
        return `${name} was told seat ${seat} is taken, but no active booking holds it${seat === 3 ? " (kim's booking of it was cancelled)" : ''}: only an active booking takes a seat.`;
      }
    } else if (outcome.status === 'resolved' && held.length < seats.length) {
      const missing = seats.filter((seat) => holders.get(seat) !== customer);
      return `${name} resolved, but ${customer} does not hold ${seatList(missing)}: a group is booked whole or not at all.`;
    }
  }
  const matches = (_call: number, answer: unknown, outcome: TaskOutcome) => {
    if ('booked' in (answer as Answer)) return outcome.status === 'resolved';
    const seat = outcome.status === 'rejected' ? takenSeat(outcome.error, refusals) : null;
    return seat !== null && (answer as { taken: number[] }).taken.includes(seat);
  };
  const same = (state: Holders) =>
    state.size === holders.size && [...state].every(([seat, who]) => holders.get(seat) === who);
  if (linearize(model, SEEDED, requests, outcomes, { matches, accept: same })) return null;
  const booked = [...holders]
    .filter(([seat]) => !SEEDED.has(seat))
    .map(([seat, who]) => `${seat}: ${who}`)
    .join(', ');
  return `no order of booking one at a time gives ${results(outcomes)} with the seats held as they are (${booked || 'no new bookings'}).`;
}

function describe({ groups }: SeatBookingWorkload): string {
  return `${callers(groups.map((seats, i) => label({ customer: CUSTOMERS[i]!, seats })))}; seat 4 is zoe's, seat 3's booking was cancelled`;
}

const EXAMPLES: SeatBookingWorkload[] = [
  { groups: [[1], [1]] },
  { groups: [[3], [3]] },
  {
    groups: [
      [1, 2],
      [2, 1],
    ],
  },
  {
    groups: [
      [1, 3],
      [3, 2],
    ],
  },
  { groups: [[4, 1], [1]] },
  { groups: [[1], [1, 2], [2]] },
];

const isGroup = (x: unknown): x is number[] =>
  arrayOf(x, (s): s is number => SEATS.includes(s as number), 1, 3) && new Set(x).size === x.length;

export const check: Check<SeatBookingWorkload> = {
  exercise: 'seat-booking',
  version: 1,
  workloads: {
    arbitrary: fc.record({
      groups: fc.array(fc.uniqueArray(fc.constantFrom(...SEATS), { minLength: 1, maxLength: 3 }), {
        minLength: 1,
        maxLength: 3,
      }),
    }),
    examples: EXAMPLES,
    generated: 2,
    describe,
    parse(value) {
      const groups = isRecord(value) ? value.groups : undefined;
      return arrayOf(groups, isGroup, 1, 3) ? { groups } : null;
    },
  },
  scenario,
  budget: PG_BUDGET,
};
