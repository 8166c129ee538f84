/**
 * A worker thread of the workers tier. It loads the learner's compiled module and runs its exports
 * on the shared memory in one of three modes:
 *
 * - controlled: every access to the shared memory — a plain read or write of a typed array over
 *   it, every `Atomics` call — waits here until the main thread grants it (protocol.ts); the main
 *   thread makes the access and hands back its result. `view[i]++` is a read and then a write, two
 *   steps another thread can come between; `Atomics.add` is one.
 * - free: accesses are made directly (the main thread reads a result while no other thread runs).
 * - stress: free, at full speed on a real core, alongside the other workers, with a driver of the
 *   check's calling the learner's exports in a loop.
 *
 * The learner's code sees the accesses through the instrumentation hooks it was compiled with
 * (sandbox/instrument.ts) and through the `Atomics` object it is given here.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import { parentPort, workerData } from 'node:worker_threads';
import {
  BIG_OFFSET,
  type CallArgument,
  Command,
  ELEMENT_TYPES,
  F64_OFFSET,
  Kind,
  type KindCode,
  RMW,
  Slot,
  State,
  type StressRequest,
  TEXT_BYTES,
  TEXT_OFFSET,
  type ThreadData,
  Word,
} from './protocol.js';

const data = workerData as ThreadData;
const control = new Int32Array(data.control, 0, 32);
const numbers = new Float64Array(data.control, F64_OFFSET, 8);
const bigints = new BigInt64Array(data.control, BIG_OFFSET, 8);
const text = new Uint8Array(data.control, TEXT_OFFSET, TEXT_BYTES);
const memory = data.memory;
const scratch = new Int32Array(data.scratch);
const RealAtomics = Atomics;

type Mode = 'controlled' | 'free' | 'abort' | 'stress';
let mode: Mode = 'free';

/** Thrown out of an access when the main thread abandons the run: the call unwinds. */
class Abandoned extends Error {
  constructor() {
    super('this run was abandoned by the checker');
    this.name = 'Abandoned';
  }
}

type View = Exclude<NodeJS.TypedArray, never>;

const isOverMemory = (o: unknown): o is ArrayBufferView =>
  ArrayBuffer.isView(o) && (o as ArrayBufferView).buffer === memory;

const isTypedOverMemory = (o: unknown): o is View => isOverMemory(o) && !(o instanceof DataView);

/** The element index `k` names in `view`, or -1 when it is not an element (a property, out of range). */
function elementIndex(view: View, k: PropertyKey): number {
  let i: number;
  if (typeof k === 'number') i = k;
  else if (typeof k === 'string' && k !== '' && String(Number(k)) === k) i = Number(k);
  else return -1;
  return Number.isInteger(i) && i >= 0 && i < view.length ? i : -1;
}

const typeCode = (view: View) =>
  ELEMENT_TYPES.indexOf(view.constructor.name as (typeof ELEMENT_TYPES)[number]);

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function writeText(value: unknown): void {
  let json: string;
  try {
    json = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? { $bigint: String(v) } : v));
  } catch {
    json = JSON.stringify({ text: String(value) });
  }
  const { written } = encoder.encodeInto(json ?? 'null', text);
  control[Word.TEXT] = written;
}

function readText(): unknown {
  const bytes = text.slice(0, control[Word.TEXT]);
  return JSON.parse(decoder.decode(bytes));
}

function setState(state: number): void {
  RealAtomics.store(control, Word.STATE, state);
  RealAtomics.notify(control, Word.STATE);
}

/**
 * Ask the main thread to make one access, and wait until it has. The operands travel as Float64
 * (exact for every 32-bit value) or as BigInts for the 64-bit arrays.
 */
function request(kind: KindCode, view: ArrayBufferView, index: number, a?: unknown, b?: unknown): unknown {
  if (mode === 'abort') throw new Abandoned();
  const typed = view instanceof DataView ? null : (view as View);
  const size = typed ? typed.BYTES_PER_ELEMENT : 1;
  control[Word.KIND] = kind;
  control[Word.OFFSET] = view.byteOffset + index * size;
  control[Word.TYPE] = typed ? typeCode(typed) : -1;
  const big = typed instanceof BigInt64Array || typed instanceof BigUint64Array;
  control[Word.BIG] = big ? 1 : 0;
  if (big) {
    if (a !== undefined) bigints[Slot.A] = BigInt.asIntN(64, a as bigint);
    if (b !== undefined) bigints[Slot.B] = BigInt.asIntN(64, b as bigint);
  }
  numbers[Slot.A] = typeof a === 'number' ? a : 0;
  numbers[Slot.B] = typeof b === 'number' ? b : 0;
  setState(State.REQUEST);
  for (;;) {
    const state = RealAtomics.load(control, Word.STATE);
    if (state !== State.REQUEST) break;
    RealAtomics.wait(control, Word.STATE, State.REQUEST);
  }
  if (RealAtomics.load(control, Word.STATE) === State.ABORT) {
    mode = 'abort';
    throw new Abandoned();
  }
  if (kind === Kind.WAIT) return ['ok', 'not-equal', 'timed-out'][numbers[Slot.RESULT]!];
  if (kind === Kind.WHOLE) return undefined;
  if (big && kind !== Kind.NOTIFY) {
    const value = bigints[Slot.RESULT]!;
    return typed instanceof BigUint64Array ? BigInt.asUintN(64, value) : value;
  }
  return numbers[Slot.RESULT];
}

/** An access the hooks cannot follow element by element: one step that may touch all of the memory. */
function whole(what: string, write: boolean): void {
  if (mode !== 'controlled' && mode !== 'abort') return;
  writeText({ what, write });
  request(Kind.WHOLE, new Uint8Array(memory, 0, 1), 0);
}

/** Scratch arrays of each element type: the value a typed array would store for `v`. */
const scratchOf = new Map<string, View>();
function stored(view: View, v: unknown): number | bigint {
  const name = view.constructor.name;
  let cell = scratchOf.get(name);
  if (!cell) {
    cell = new (view.constructor as new (n: number) => View)(1);
    scratchOf.set(name, cell);
  }
  (cell as unknown as unknown[])[0] = v;
  return cell[0]!;
}

// Stress mode: accesses to the watched words are timed with a shared tick counter, so that the
// main thread can tell when two threads were inside their critical sections at once.
let watch: { from: number; to: number } | null = null;
let first = -1;
let last = -1;
const TICKS = 2;
function watched(view: View, index: number): void {
  if (!watch) return;
  const at = view.byteOffset + index * view.BYTES_PER_ELEMENT;
  if (at < watch.from || at >= watch.to) return;
  const tick = RealAtomics.add(scratch, TICKS, 1);
  if (first < 0) first = tick;
  last = tick;
}

const controlled = () => mode === 'controlled' || mode === 'abort';

const hooks = {
  g(o: unknown, k: PropertyKey): unknown {
    if (isTypedOverMemory(o)) {
      const i = elementIndex(o, k);
      if (i >= 0) {
        if (controlled()) return request(Kind.READ, o, i);
        watched(o, i);
      }
    }
    return (o as Record<PropertyKey, unknown>)[k];
  },
  s(o: unknown, k: PropertyKey, v: unknown): unknown {
    if (isTypedOverMemory(o)) {
      const i = elementIndex(o, k);
      if (i >= 0) {
        if (controlled()) {
          request(Kind.WRITE, o, i, stored(o, v));
          return v;
        }
        watched(o, i);
      }
    }
    (o as Record<PropertyKey, unknown>)[k] = v;
    return v;
  },
  c(o: unknown, k: PropertyKey, ...args: unknown[]): unknown {
    const fn = (o as Record<PropertyKey, unknown>)[k];
    if (o !== controlledAtomics && (isOverMemory(o) || args.some(isOverMemory))) {
      whole(
        `${isOverMemory(o) ? 'a shared array' : String((o as { name?: string })?.name ?? 'a function')}.${String(k)}(…)`,
        true,
      );
    }
    if (typeof fn !== 'function') throw new TypeError(`${String(k)} is not a function`);
    return Reflect.apply(fn, o, args);
  },
  d(o: unknown, k: PropertyKey): boolean {
    return delete (o as Record<PropertyKey, unknown>)[k];
  },
  h(k: PropertyKey, o: unknown): boolean {
    return k in (o as object);
  },
  u(o: unknown, k: PropertyKey, delta: number, prefix: boolean): unknown {
    const target = o as Record<PropertyKey, unknown>;
    const read = () => hooks.g(o, k);
    const raw = isTypedOverMemory(o) && elementIndex(o, k) >= 0 ? read() : target[k];
    const old = typeof raw === 'bigint' ? raw : Number(raw);
    const next = typeof old === 'bigint' ? old + BigInt(delta) : old + delta;
    if (isTypedOverMemory(o) && elementIndex(o, k) >= 0) hooks.s(o, k, next);
    else target[k] = next;
    return prefix ? next : old;
  },
  a<T>(o: T): T {
    if (isOverMemory(o) && controlled()) whole('an iteration of a shared array', false);
    return o;
  },
  r(): void {},
  w(): void {},
  wv<T>(_o: unknown, _k: string, v: T): T {
    return v;
  },
  vr<T>(_id: number, v: T): T {
    return v;
  },
  vw<T>(_id: number, v: T): T {
    return v;
  },
  aw<T>(p: T): T {
    return p;
  },
  np(executor: (resolve: (value: unknown) => void, reject: (reason: unknown) => void) => void) {
    return new Promise(executor);
  },
  any(): void {
    whole('an expression the checker cannot see through (an optional chain, a destructuring)', true);
  },
  deep(): void {
    whole('a deep copy', false);
  },
};

/** Validate like Atomics does (integer typed array, index in range) and answer the index. */
function atomicIndex(view: unknown, index: unknown): number {
  RealAtomics.load(view as Int32Array, index as number);
  return Math.trunc(Number(index)) || 0;
}

function operand(view: View, v: unknown): number | bigint {
  if (view instanceof BigInt64Array || view instanceof BigUint64Array) {
    if (typeof v !== 'bigint') throw new TypeError(`Cannot convert ${String(v)} to a BigInt`);
    return v;
  }
  const n = Math.trunc(Number(v));
  return Number.isNaN(n) ? 0 : n;
}

const rmw =
  (name: string) =>
  (view: View, index: number, value: unknown): unknown => {
    if (!(controlled() && isTypedOverMemory(view)))
      return (RealAtomics as unknown as Record<string, (...a: unknown[]) => unknown>)[name]!(
        view,
        index,
        value,
      );
    const i = atomicIndex(view, index);
    return request(RMW[name]!, view, i, operand(view, value));
  };

/** `Atomics` as the learner's code sees it: on the shared memory, each call is one controlled step. */
const controlledAtomics = {
  load(view: View, index: number): unknown {
    if (!(controlled() && isTypedOverMemory(view))) return RealAtomics.load(view as Int32Array, index);
    return request(Kind.LOAD, view, atomicIndex(view, index));
  },
  store(view: View, index: number, value: unknown): unknown {
    if (!(controlled() && isTypedOverMemory(view)))
      return RealAtomics.store(view as Int32Array, index, value as number);
    const i = atomicIndex(view, index);
    const v = operand(view, value);
    request(Kind.STORE, view, i, v);
    return v;
  },
  add: rmw('add'),
  sub: rmw('sub'),
  and: rmw('and'),
  or: rmw('or'),
  xor: rmw('xor'),
  exchange: rmw('exchange'),
  compareExchange(view: View, index: number, expected: unknown, replacement: unknown): unknown {
    if (!(controlled() && isTypedOverMemory(view)))
      return RealAtomics.compareExchange(
        view as Int32Array,
        index,
        expected as number,
        replacement as number,
      );
    const i = atomicIndex(view, index);
    return request(Kind.COMPARE_EXCHANGE, view, i, operand(view, expected), operand(view, replacement));
  },
  wait(view: View, index: number, value: unknown, timeout?: number): unknown {
    if (!(controlled() && isTypedOverMemory(view)))
      return RealAtomics.wait(view as Int32Array, index, value as number, timeout);
    if (!(view instanceof Int32Array || view instanceof BigInt64Array))
      throw new TypeError('Atomics.wait works only on an Int32Array or a BigInt64Array');
    const i = atomicIndex(view, index);
    const t = timeout === undefined ? Number.POSITIVE_INFINITY : Number(timeout);
    control[Word.TIMED] = Number.isNaN(t) || t === Number.POSITIVE_INFINITY ? 0 : 1;
    return request(Kind.WAIT, view, i, operand(view, value));
  },
  notify(view: View, index: number, count?: number): unknown {
    if (!(controlled() && isTypedOverMemory(view)))
      return RealAtomics.notify(view as Int32Array, index, count);
    const i = atomicIndex(view, index);
    const n = count === undefined ? Number.POSITIVE_INFINITY : Math.max(0, Math.trunc(Number(count)) || 0);
    return request(Kind.NOTIFY, view, i, n);
  },
  isLockFree: (size: number) => RealAtomics.isLockFree(size),
  waitAsync(): never {
    throw new Error(
      'Atomics.waitAsync is not available here: the functions of this exercise run synchronously',
    );
  },
  pause(): void {},
  [Symbol.toStringTag]: 'Atomics',
};

/** A small seeded generator (mulberry32): the same sequence for the same worker in every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let random = seeded(data.index + 1);
/** A clock that moves 1 ms each time it is read: a deadline loop ends, and every run reads the same times. */
let clock = Date.UTC(2026, 0, 1);

const noTimers = (name: string) => () => {
  throw new Error(
    `${name} does not run on a worker thread here: the functions of this exercise run synchronously`,
  );
};

function workerGlobals(): Record<string, unknown> {
  const RealDate = Date;
  const now = () => clock++;
  class ThreadDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(now());
      else super(...(args as [string]));
    }
    static override now(): number {
      return now();
    }
  }
  return {
    Atomics: controlledAtomics,
    setTimeout: noTimers('setTimeout'),
    setInterval: noTimers('setInterval'),
    setImmediate: noTimers('setImmediate'),
    clearTimeout: () => {},
    clearInterval: () => {},
    clearImmediate: () => {},
    Date: ThreadDate,
    performance: { now: () => now() - Date.UTC(2026, 0, 1), timeOrigin: Date.UTC(2026, 0, 1) },
    Math: Object.create(Math, { random: { value: () => random() } }),
    crypto: {
      randomUUID: () => {
        const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');
        return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
      },
    },
  };
}

const ALLOWED_IMPORTS = new Set(['events', 'node:events', 'assert', 'node:assert', 'util', 'node:util']);
const nodeRequire = createRequire(path.resolve(data.filename));
const learnerRequire = (id: string) => {
  if (!ALLOWED_IMPORTS.has(id))
    throw new Error(`exercises run without I/O: importing '${id}' is not available here`);
  return nodeRequire(id);
};
const learnerProcess = {
  env: {},
  exit(code?: unknown): never {
    throw new Error(
      `process.exit(${code === undefined ? '' : String(code)}) was called: learner code must not end the process`,
    );
  },
};
const quiet = { log() {}, error() {}, warn() {}, info() {}, debug() {} };

const globals = workerGlobals();
const names = Object.keys(globals);
const params = ['exports', 'require', 'module', '__filename', '__dirname', 'process', 'console', data.hooks];
const body = vm.compileFunction(data.code, [...params, ...names], { filename: data.filename });

let mod: Record<string, unknown> = {};
let arrays: Record<string, Int32Array> = {};

function instantiate(): void {
  random = seeded(data.index + 1);
  clock = Date.UTC(2026, 0, 1);
  arrays = Object.fromEntries(
    data.layout.map((a) => [a.name, new Int32Array(memory, a.byteOffset, a.length)] as const),
  );
  const module = { exports: {} as Record<string, unknown> };
  mode = 'free';
  body(
    module.exports,
    learnerRequire,
    module,
    data.filename,
    path.dirname(data.filename),
    learnerProcess,
    quiet,
    hooks,
    ...names.map((name) => globals[name]),
  );
  mod = module.exports;
}

function argument(arg: CallArgument): unknown {
  if ('shared' in arg) {
    const view = arrays[arg.shared];
    if (!view) throw new Error(`no shared array '${arg.shared}'`);
    return view;
  }
  return arg.value;
}

function call(name: string, args: CallArgument[]): unknown {
  const fn = mod[name];
  if (typeof fn !== 'function') {
    throw new Error(
      `the module must export the function '${name}' (keep the names and signatures of the exercise)`,
    );
  }
  const value = Reflect.apply(fn, undefined, args.map(argument));
  if (value instanceof Promise) {
    value.catch(() => {});
    throw new Error(
      `${name} returned a promise: the functions of this exercise run synchronously on their thread`,
    );
  }
  return value;
}

function errorOf(error: unknown): { name: string; message: string } {
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: `threw ${typeof error === 'string' ? `'${error}'` : String(error)}` };
}

/** Run `fn`, then report DONE with its value or THREW with its error. */
function answer(fn: () => unknown): void {
  try {
    const value = fn();
    writeText({ value: value === undefined ? null : value, undefined: value === undefined });
    mode = 'free';
    setState(State.DONE);
  } catch (error) {
    const aborted = mode === 'abort';
    mode = 'free';
    writeText({ error: errorOf(error), aborted });
    setState(State.THREW);
  }
}

// The barrier of a stress round: every worker waits until all have arrived, then they start together.
const ARRIVED = 0;
const ROUND = 1;
function barrier(workers: number): void {
  const round = RealAtomics.load(scratch, ROUND);
  if (RealAtomics.add(scratch, ARRIVED, 1) === workers - 1) {
    RealAtomics.store(scratch, ARRIVED, 0);
    RealAtomics.add(scratch, ROUND, 1);
    RealAtomics.notify(scratch, ROUND);
    return;
  }
  // Spin a little first: a sleeping thread wakes late, and the point is to start at once.
  for (let i = 0; i < 20_000; i++) if (RealAtomics.load(scratch, ROUND) !== round) return;
  while (RealAtomics.load(scratch, ROUND) === round) RealAtomics.wait(scratch, ROUND, round, 50);
}

function stress(req: StressRequest): void {
  const counts: Record<string, number> = {};
  let intervals = new Float64Array(Math.min(1 << 20, Math.max(64, req.iterations * 2)));
  let n = 0;
  watch = req.watch ? { from: req.watch.byteOffset, to: req.watch.byteOffset + req.watch.words * 4 } : null;
  const ctx = {
    mod,
    arrays,
    scratch,
    worker: req.worker,
    workers: req.workers,
    iterations: req.iterations,
    random: seeded(req.worker + 101),
    barrier: () => barrier(req.workers),
    begin() {
      first = -1;
      last = -1;
    },
    end() {
      if (first < 0) return;
      if (n + 2 > intervals.length) {
        const grown = new Float64Array(intervals.length * 2);
        grown.set(intervals);
        intervals = grown;
      }
      intervals[n++] = first;
      intervals[n++] = last;
    },
    seen(what: string, times = 1) {
      counts[what] = (counts[what] ?? 0) + times;
    },
  };
  const driver = new Function(`return (${req.driver});`)() as (c: typeof ctx) => unknown;
  mode = 'stress';
  try {
    const value = driver(ctx);
    const out = intervals.slice(0, n);
    parentPort!.postMessage({ worker: req.worker, counts, intervals: out, value }, [out.buffer]);
  } finally {
    watch = null;
    mode = 'free';
  }
}

function serve(): void {
  for (;;) {
    const state = RealAtomics.load(control, Word.STATE);
    if (state !== State.COMMAND) {
      RealAtomics.wait(control, Word.STATE, state);
      continue;
    }
    const command = control[Word.COMMAND];
    if (command === Command.EXIT) return;
    const request = readText() as { fn: string; args: CallArgument[] } & StressRequest;
    if (command === Command.RESET) answer(instantiate);
    else if (command === Command.STRESS) answer(() => stress(request));
    else {
      mode = command === Command.CALL ? 'controlled' : 'free';
      answer(() => call(request.fn, request.args));
    }
  }
}

serve();
