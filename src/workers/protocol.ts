/**
 * The control protocol between the grader's main thread and a worker thread that runs the
 * learner's module. Each worker has one control buffer (a SharedArrayBuffer): a state word both
 * sides wait on with `Atomics.wait` and wake with `Atomics.notify`, the fields of the access the
 * worker asks to make, number slots for operands and results, and a text region for JSON.
 *
 * A controlled access goes: the worker writes the request and sets REQUEST; the main thread (when
 * the explorer releases that step) performs it on the shared memory, writes the result and sets
 * GRANTED; the worker takes the result, sets RUNNING and runs on to its next access (REQUEST) or
 * the end of the call (DONE, THREW). Only one worker runs at a time, so every run is a sequence of
 * these steps that the explorer chose.
 */

/** Int32 word indexes in the control buffer. */
export const Word = {
  STATE: 0,
  /** The command the main thread posted (with STATE = COMMAND). */
  COMMAND: 1,
  /** The access the worker asks for. */
  KIND: 2,
  /** Byte offset of the element in the data buffer. */
  OFFSET: 3,
  /** Element type (see ELEMENT_TYPES). */
  TYPE: 4,
  /** 1 when the operands are BigInts (read them from the BigInt slots). */
  BIG: 5,
  /** Bytes of JSON in the text region. */
  TEXT: 6,
  /** For Atomics.wait: 1 when a finite timeout was given. */
  TIMED: 7,
} as const;

/** Float64 slot indexes (operands and the result of an access), after the Int32 words. */
export const Slot = { A: 0, B: 1, RESULT: 2 } as const;

export const CONTROL_BYTES = 256 * 1024;
/** Where the Float64 slots start, and the BigInt64 slots (same indexes), and the text region. */
export const F64_OFFSET = 128;
export const BIG_OFFSET = 192;
export const TEXT_OFFSET = 256;
export const TEXT_BYTES = CONTROL_BYTES - TEXT_OFFSET;

export const State = {
  /** Waiting for a command. */
  IDLE: 0,
  /** The main thread posted a command. */
  COMMAND: 1,
  /** Running learner code. */
  RUNNING: 2,
  /** Waiting for the main thread to grant an access. */
  REQUEST: 3,
  /** The access was made; its result is in the RESULT slot. */
  GRANTED: 4,
  /** The run was abandoned: every access from now on throws, until the call ends. */
  ABORT: 5,
  /** The call returned (its value as JSON in the text region). */
  DONE: 6,
  /** The call threw (its error as JSON in the text region). */
  THREW: 7,
} as const;

export const Command = {
  /** A fresh module instance and fresh views of the shared arrays. */
  RESET: 1,
  /** Call an export with every shared access controlled. */
  CALL: 2,
  /** Call an export with shared accesses made directly (no other thread runs meanwhile). */
  FREE: 3,
  /** Run a stress driver on the real memory, at full speed, alongside the other workers. */
  STRESS: 4,
  EXIT: 5,
} as const;

/** What a controlled access does. */
export const Kind = {
  READ: 1,
  WRITE: 2,
  LOAD: 3,
  STORE: 4,
  ADD: 5,
  SUB: 6,
  AND: 7,
  OR: 8,
  XOR: 9,
  EXCHANGE: 10,
  COMPARE_EXCHANGE: 11,
  WAIT: 12,
  NOTIFY: 13,
  /** An access the hooks cannot see element by element (a method call, an iteration): all of the memory. */
  WHOLE: 14,
} as const;

export type KindCode = (typeof Kind)[keyof typeof Kind];

/** The Atomics read-modify-write operations, by name, as the learner calls them. */
export const RMW: Record<string, KindCode> = {
  add: Kind.ADD,
  sub: Kind.SUB,
  and: Kind.AND,
  or: Kind.OR,
  xor: Kind.XOR,
  exchange: Kind.EXCHANGE,
};

/** Typed array constructors, by the code the protocol sends. */
export const ELEMENT_TYPES = [
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
] as const;

export type ElementType = (typeof ELEMENT_TYPES)[number];

/** The data buffer's layout: the check's named Int32 arrays, at these byte offsets. */
export interface ArrayLayout {
  name: string;
  byteOffset: number;
  length: number;
}

/** What a worker thread is started with. */
export interface ThreadData {
  control: SharedArrayBuffer;
  memory: SharedArrayBuffer;
  /** Scratch memory for stress drivers (a barrier, tick counters, ownership words). */
  scratch: SharedArrayBuffer;
  layout: ArrayLayout[];
  /** The learner's module, compiled and instrumented (CommonJS), and its file name. */
  code: string;
  filename: string;
  /** The names of the instrumentation hooks object the compiled code expects. */
  hooks: string;
  /** Which worker this is (0, 1, …). */
  index: number;
}

/** An argument of a call: a plain value, or one of the shared arrays by name. */
export type CallArgument = { shared: string } | { value: unknown };

/** What a stress driver gets on each worker (see stress.ts). */
export interface StressRequest {
  driver: string;
  worker: number;
  workers: number;
  iterations: number;
  /** Byte offset and length (in Int32 words) of the words whose accesses are timed, or null. */
  watch: { byteOffset: number; words: number } | null;
}
