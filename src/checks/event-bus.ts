import fc from 'fast-check';
import { formatValue } from '../explorer/format.js';
import type { Scenario, TaskOutcome } from '../explorer/scenario.js';
import type { World } from '../explorer/world.js';
import { arrayOf, type Check, exported, isRecord, type Module } from './check.js';

type Listener = (payload: unknown) => void;
interface Bus {
  on(event: string, listener: Listener): () => void;
  emit(event: string, payload: unknown): void;
}

const EVENTS = ['order.paid', 'stock.low'] as const;
type EventName = (typeof EVENTS)[number];
/** Listeners L1…L4: one function each, so subscribing one twice is the same function twice. */
const LISTENERS = 4;

/**
 * One thing the program does: emit an event, subscribe listener `listener` (0-based) to an event,
 * unsubscribe it (through the function its latest `on` returned, even if that one was used
 * already), or — in a listener only, and last — throw.
 */
type Action =
  | { do: 'emit'; event: EventName }
  | { do: 'on'; listener: number; event: EventName }
  | { do: 'off'; listener: number }
  | { do: 'throw' };

/**
 * A program of listeners on one bus: `main` runs from outside any listener; `listeners[j][k]` is
 * what listener L(j+1) does on its (k+1)-th call (nothing after its last planned call, so every
 * program ends).
 */
export interface EventBusWorkload {
  main: Action[];
  listeners: Action[][][];
}

/**
 * The bus of the statement, written independently of the exercise: a delivery calls the
 * subscriptions of its event as they were when it starts; an emit made during a delivery is queued
 * and delivered after it, in the order asked; each throw goes to `report` and the delivery goes on.
 * (Node's EventEmitter takes the same snapshot: events.js copies the listener array before calling.)
 */
class ReferenceBus implements Bus {
  private subscriptions = new Map<string, readonly { listener: Listener }[]>();
  private readonly queue: { event: string; payload: unknown }[] = [];
  private delivering = false;

  constructor(private readonly report: (error: unknown) => void) {}

  on(event: string, listener: Listener): () => void {
    const entry = { listener };
    this.subscriptions.set(event, [...(this.subscriptions.get(event) ?? []), entry]);
    return () => {
      this.subscriptions.set(
        event,
        (this.subscriptions.get(event) ?? []).filter((e) => e !== entry),
      );
    };
  }

  emit(event: string, payload: unknown): void {
    this.queue.push({ event, payload });
    if (this.delivering) return;
    this.delivering = true;
    try {
      for (let next = this.queue.shift(); next; next = this.queue.shift()) {
        for (const { listener } of this.subscriptions.get(next.event) ?? []) {
          try {
            listener(next.payload);
          } catch (error) {
            this.report(error);
          }
        }
      }
    } finally {
      this.delivering = false;
    }
  }
}

/** Past this many happenings a bus is taken to loop (every program here ends far sooner). */
const MAX_LOG = 400;

const ordinal = (n: number) => `${n}${n === 1 ? 'st' : n === 2 ? 'nd' : n === 3 ? 'rd' : 'th'}`;

/**
 * Run the program on a bus and write down what happens, in order: each listener call (which
 * listener, which emit), each `report`, each return of an emit made from outside any listener.
 * `note` sees each line as it happens (the timeline of a verdict).
 */
function runProgram(
  workload: EventBusWorkload,
  makeBus: (report: (e: unknown) => void) => Bus,
  note: (line: string) => void,
) {
  const log: string[] = [];
  let looped = false;
  // Past the limit nothing more is written and listeners do nothing, so the run ends.
  const write = (line: string) => {
    if (log.length === MAX_LOG) looped = true;
    if (looped) return;
    log.push(line);
    note(line);
  };
  const payloads = new Map<unknown, string>();
  const errors = new Map<unknown, string>();
  const named = (value: unknown, names: Map<unknown, string>) => names.get(value) ?? formatValue(value);
  const bus = makeBus((error) => write(`report(${named(error, errors)})`));
  const handles: (() => void)[][] = Array.from({ length: LISTENERS }, () => []);
  const calls = new Array<number>(LISTENERS).fill(0);
  let emits = 0;

  const emit = (event: EventName) => {
    const n = ++emits;
    const payload = { event, n };
    payloads.set(payload, `${event} #${n}`);
    bus.emit(event, payload);
    return n;
  };
  const perform = (action: Action, who: number | null) => {
    if (action.do === 'emit') {
      if (who !== null) return void emit(action.event);
      const n = emits + 1;
      try {
        emit(action.event);
      } catch (error) {
        write(`emit #${n} threw ${formatValue(error)}`);
        return;
      }
      write(`emit #${n} returned`);
    } else if (action.do === 'on') {
      handles[action.listener]!.push(bus.on(action.event, functions[action.listener]!));
    } else if (action.do === 'off') {
      handles[action.listener]!.at(-1)?.();
    } else {
      const error = new Error(`L${(who ?? 0) + 1} failed on its ${ordinal(calls[who ?? 0]!)} call`);
      errors.set(error, `the error L${(who ?? 0) + 1} threw on its ${ordinal(calls[who ?? 0]!)} call`);
      throw error;
    }
  };
  const functions: Listener[] = Array.from({ length: LISTENERS }, (_, j) => (payload: unknown) => {
    if (looped) return;
    calls[j]!++;
    write(`L${j + 1} hears ${named(payload, payloads)}`);
    for (const action of workload.listeners[j]?.[calls[j]! - 1] ?? []) perform(action, j);
  });
  for (const action of workload.main) perform(action, null);
  return { log, looped };
}

function scenario(workload: EventBusWorkload): Scenario<Module> {
  return {
    name: describe(workload),
    setup(world: World, mod) {
      const EventBus = exported<new (report: (error: unknown) => void) => Bus>(mod, 'EventBus', 'the class');
      const { log: expected } = runProgram(
        workload,
        (report) => new ReferenceBus(report),
        () => {},
      );
      let actual: string[] = [];
      let looped = false;
      return {
        tasks: [
          {
            label: 't1 the program',
            run: async () => {
              const run = runProgram(
                workload,
                (report) => new EventBus(report),
                (line) => world.record('bus', [], line),
              );
              actual = run.log;
              looped = run.looped;
            },
            realTime: { arrive: [], settle: [] },
          },
        ],
        check: (outcomes) => compare(expected, actual, looped, outcomes),
      };
    },
  };
}

/** The first happening where the learner's bus and the reference part ways, in words. */
function compare(
  expected: string[],
  actual: string[],
  looped: boolean,
  outcomes: readonly TaskOutcome[],
): string | null {
  const outcome = outcomes[0]!;
  if (looped) {
    return `your bus made more than ${MAX_LOG} listener calls and reports, though this program makes ${expected.length}: it keeps calling listeners a correct bus would not call.`;
  }
  const at = expected.findIndex((line, i) => actual[i] !== line);
  if (outcome.status === 'rejected' && (at < 0 || at >= actual.length)) {
    return `after ${actual.length ? `"${actual.at(-1)}"` : 'the start'}, the program's call of your bus threw ${formatValue(outcome.error)}: on, the function it returns, and emit must not throw.`;
  }
  if (at < 0 && actual.length === expected.length) return null;
  const i = at < 0 ? expected.length : at;
  const before = i === 0 ? 'first' : `after "${expected[i - 1]}"`;
  const wanted =
    expected[i] === undefined ? 'nothing more should happen' : `"${expected[i]}" should come next`;
  const got = actual[i] === undefined ? 'nothing more happened' : `"${actual[i]}" came instead`;
  return `${before}, ${wanted}, but with your bus ${got}. (A delivery calls the listeners subscribed when it starts, in order; an emit from a listener waits until the delivery under way ends; a throw goes to report and the delivery goes on.)`;
}

function describeAction(action: Action): string {
  if (action.do === 'emit') return `emit('${action.event}')`;
  if (action.do === 'on') return `on('${action.event}', L${action.listener + 1})`;
  if (action.do === 'off') return `unsubscribe L${action.listener + 1}`;
  return 'throw';
}

function describe(workload: EventBusWorkload): string {
  const listeners = workload.listeners.flatMap((calls, j) =>
    calls.flatMap((actions, k) =>
      actions.length ? [`L${j + 1}'s ${ordinal(k + 1)} call: ${actions.map(describeAction).join(', ')}`] : [],
    ),
  );
  return [`the program: ${workload.main.map(describeAction).join(', ')}`, ...listeners].join('; ');
}

const emit = (event: EventName = 'order.paid'): Action => ({ do: 'emit', event });
const on = (listener: number, event: EventName = 'order.paid'): Action => ({
  do: 'on',
  listener: listener - 1,
  event,
});
const off = (listener: number): Action => ({ do: 'off', listener: listener - 1 });
const fail: Action = { do: 'throw' };

/** The contract's boundaries, one per rule of the statement. */
const EXAMPLES: EventBusWorkload[] = [
  // A one-shot listener unsubscribes itself: its neighbour must still be called.
  { main: [on(1), on(2), on(3), emit(), emit()], listeners: [[[off(1)]]] },
  // A listener subscribed during a delivery hears the next one, not this one.
  { main: [on(1), on(2), emit(), emit()], listeners: [[[on(3)]]] },
  // A listener removed by an earlier one is still called in this delivery, and in no later one.
  { main: [on(1), on(2), on(3), emit(), emit()], listeners: [[[off(3)]]] },
  // A throw is reported, the delivery goes on, and the bus keeps working.
  { main: [on(1), on(2), emit(), emit()], listeners: [[[fail]]] },
  // Nested emits are delivered after the current delivery, in the order they were made.
  {
    main: [on(1), on(2), on(3, 'stock.low'), on(4, 'stock.low'), emit()],
    listeners: [[[emit('stock.low'), emit('order.paid')]], [], [[emit('order.paid')]]],
  },
  // A listener subscribed between a nested emit and its delivery hears it.
  { main: [on(1), on(2), emit()], listeners: [[[emit('stock.low'), on(3, 'stock.low')]]] },
  // The same function twice is two subscriptions; unsubscribing one, twice, removes only it.
  { main: [on(1), on(2), on(1), emit(), off(1), off(1), emit()], listeners: [] },
  // A throw from a listener that emitted: its event is still delivered, after the reports.
  { main: [on(1), on(2, 'stock.low'), emit(), emit()], listeners: [[[emit('stock.low'), fail]]] },
];

const eventArb = fc.constantFrom<EventName>(...EVENTS);
const listenerArb = fc.integer({ min: 0, max: LISTENERS - 1 });
const emitArb = fc.record({ do: fc.constant<'emit'>('emit'), event: eventArb });
const onArb = fc.record({ do: fc.constant<'on'>('on'), listener: listenerArb, event: eventArb });
const offArb = fc.record({ do: fc.constant<'off'>('off'), listener: listenerArb });
const actionArb: fc.Arbitrary<Action> = fc.oneof(
  { weight: 3, arbitrary: emitArb },
  { weight: 2, arbitrary: onArb },
  { weight: 2, arbitrary: offArb },
  { weight: 1, arbitrary: fc.constant<Action>(fail) },
);

const arbitrary: fc.Arbitrary<EventBusWorkload> = fc.record({
  main: fc
    .tuple(
      fc.array(onArb, { minLength: 1, maxLength: 4 }),
      fc.array(fc.oneof({ weight: 3, arbitrary: emitArb }, onArb, offArb), { minLength: 1, maxLength: 3 }),
    )
    .map(([subscriptions, rest]) => [...subscriptions, ...rest]),
  listeners: fc.array(fc.array(fc.array(actionArb, { maxLength: 2 }), { maxLength: 2 }), {
    maxLength: LISTENERS,
  }),
});

const isIndex = (x: unknown) => Number.isInteger(x) && (x as number) >= 0 && (x as number) < LISTENERS;
const isAction = (x: unknown): x is Action =>
  isRecord(x) &&
  ((x.do === 'emit' && EVENTS.includes(x.event as EventName)) ||
    (x.do === 'on' && isIndex(x.listener) && EVENTS.includes(x.event as EventName)) ||
    (x.do === 'off' && isIndex(x.listener)) ||
    x.do === 'throw');
const isCall = (x: unknown): x is Action[] => arrayOf(x, isAction, 0, 2);
const isListener = (x: unknown): x is Action[][] => arrayOf(x, isCall, 0, 2);

export const check: Check<EventBusWorkload> = {
  exercise: 'event-bus',
  version: 1,
  workloads: {
    arbitrary,
    examples: EXAMPLES,
    // One schedule each (the bus is synchronous): many programs cost little.
    generated: 40,
    describe,
    parse(value) {
      if (
        !isRecord(value) ||
        !arrayOf(value.main, isAction, 1, 8) ||
        value.main.some((a) => a.do === 'throw')
      ) {
        return null;
      }
      if (!arrayOf(value.listeners, isListener, 0, LISTENERS)) return null;
      return { main: value.main, listeners: value.listeners };
    },
  },
  scenario,
};
