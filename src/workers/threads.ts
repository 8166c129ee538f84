import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ALL } from '../explorer/footprint.js';
import { formatValue } from '../explorer/format.js';
import type { World } from '../explorer/world.js';
import { HOOKS } from '../sandbox/instrument.js';
import { type SharedArraySpec, SharedMemory } from './memory.js';
import {
  BIG_OFFSET,
  type CallArgument,
  CONTROL_BYTES,
  Command,
  F64_OFFSET,
  Kind,
  type KindCode,
  Slot,
  State,
  type StressRequest,
  TEXT_BYTES,
  TEXT_OFFSET,
  type ThreadData,
  Word,
} from './protocol.js';

/**
 * How long one step may run: from a granted access to the thread's next access or the end of its
 * call. Learner code between two shared accesses is a few lines; a thread that takes this long
 * loops without touching the shared memory, and is stopped.
 */
export const STEP_TIMEOUT_MS = 1000;
/** How long a thread may take to start and load the learner's module (a loaded machine is slow). */
const START_TIMEOUT_MS = 20_000;
/** How long an abandoned call may take to unwind, and a fresh module to load, before its thread is replaced. */
const RESET_TIMEOUT_MS = 2000;

/** The compiled worker script: beside this module in dist/, or dist/workers/ when running from sources. */
function threadScript(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const sibling = path.join(here, 'thread.js');
  return existsSync(sibling) ? sibling : path.resolve(here, '../../dist/workers/thread.js');
}

/** The module threw while a thread loaded it: no run can start. */
export class ModuleLoadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModuleLoadError';
  }
}

interface Answer {
  value?: unknown;
  undefined?: boolean;
  error?: { name: string; message: string };
  aborted?: boolean;
}

/** Every thread ever started and not yet seen to exit: what "no thread outlives a check" is tested against. */
const live = new Set<Worker>();
/** Worker threads of the workers tier still alive in this process. */
export function liveThreads(): number {
  return live.size;
}

/** One worker thread and the main thread's end of its control buffer. */
class Thread {
  readonly worker: Worker;
  readonly control: Int32Array;
  private readonly numbers: Float64Array;
  private readonly bigints: BigInt64Array;
  private readonly text: Uint8Array;
  /** It ran away (a loop that never reaches the next access): replaced before the next run. */
  broken = false;
  readonly exited: Promise<void>;

  constructor(data: Omit<ThreadData, 'control'>) {
    const buffer = new SharedArrayBuffer(CONTROL_BYTES);
    this.control = new Int32Array(buffer, 0, 32);
    this.numbers = new Float64Array(buffer, F64_OFFSET, 8);
    this.bigints = new BigInt64Array(buffer, BIG_OFFSET, 8);
    this.text = new Uint8Array(buffer, TEXT_OFFSET, TEXT_BYTES);
    const workerData: ThreadData = { ...data, control: buffer };
    this.worker = new Worker(threadScript(), { workerData, stdout: true, stderr: true });
    live.add(this.worker);
    this.exited = new Promise((resolve) => {
      this.worker.once('exit', () => {
        live.delete(this.worker);
        resolve();
      });
    });
    // A thread that fails to start reports it through its state; its error event must not crash us.
    this.worker.on('error', () => {
      this.broken = true;
    });
    this.worker.stdout.resume();
    this.worker.stderr.resume();
  }

  state(): number {
    return Atomics.load(this.control, Word.STATE);
  }

  post(command: number, payload: unknown): void {
    const json = new TextEncoder().encode(JSON.stringify(payload));
    if (json.length > TEXT_BYTES) throw new Error('a command too large for the control buffer');
    this.text.set(json);
    this.control[Word.TEXT] = json.length;
    this.control[Word.COMMAND] = command;
    this.setState(State.COMMAND);
  }

  setState(state: number): void {
    Atomics.store(this.control, Word.STATE, state);
    Atomics.notify(this.control, Word.STATE);
  }

  /** Block until the thread leaves the states in which it owes an answer; null when time ran out. */
  settle(timeoutMs: number): number | null {
    const until = performance.now() + timeoutMs;
    for (;;) {
      const state = this.state();
      if (state !== State.COMMAND && state !== State.GRANTED && state !== State.ABORT) return state;
      const left = until - performance.now();
      if (left <= 0) return null;
      Atomics.wait(this.control, Word.STATE, state, left);
    }
  }

  /** settle, without blocking the event loop (for starting threads and stress runs, which take a while). */
  async settleAsync(timeoutMs: number): Promise<number | null> {
    const until = performance.now() + timeoutMs;
    for (;;) {
      const state = this.state();
      if (state !== State.COMMAND && state !== State.GRANTED && state !== State.ABORT) return state;
      const left = until - performance.now();
      if (left <= 0 || this.broken) return null;
      const waited = waitAsync(this.control, Word.STATE, state, Math.min(left, 200));
      if (waited.async) await waited.value;
    }
  }

  answer(): Answer {
    const bytes = this.text.slice(0, this.control[Word.TEXT]);
    return JSON.parse(new TextDecoder().decode(bytes), (_key, v: unknown) =>
      typeof v === 'object' && v !== null && '$bigint' in v ? BigInt((v as { $bigint: string }).$bigint) : v,
    ) as Answer;
  }

  request(): {
    kind: number;
    offset: number;
    type: number;
    a: number | bigint;
    b: number | bigint;
    timed: boolean;
  } {
    const big = this.control[Word.BIG] === 1;
    return {
      kind: this.control[Word.KIND]!,
      offset: this.control[Word.OFFSET]!,
      type: this.control[Word.TYPE]!,
      a: big ? this.bigints[Slot.A]! : this.numbers[Slot.A]!,
      b: big ? this.bigints[Slot.B]! : this.numbers[Slot.B]!,
      timed: this.control[Word.TIMED] === 1,
    };
  }

  /** Hand the thread the result of its access and let it run on. */
  grant(result: number | bigint): void {
    if (typeof result === 'bigint') this.bigints[Slot.RESULT] = BigInt.asIntN(64, result);
    else this.numbers[Slot.RESULT] = result;
    this.setState(State.GRANTED);
  }

  async stop(): Promise<void> {
    const state = this.state();
    if (!this.broken && (state === State.IDLE || state === State.DONE || state === State.THREW)) {
      this.post(Command.EXIT, null);
      const exited = await Promise.race([this.exited.then(() => true), pause(500).then(() => false)]);
      if (exited) return;
    }
    await this.worker.terminate();
    await this.exited;
  }
}

/** `Atomics.waitAsync` (Node 16+, ES2024: newer than the library this project compiles against). */
const waitAsync = (
  Atomics as unknown as {
    waitAsync(
      array: Int32Array,
      index: number,
      value: number,
      timeoutMs: number,
    ): { async: boolean; value: Promise<string> | string };
  }
).waitAsync;

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/** One controlled access of a run, for the checks' rules about who touched what when. */
export interface Access {
  task: number;
  /** Which call of its task (0, 1, …). */
  call: number;
  /** Its row in the run's events (the timeline's step number is this + 1). */
  event: number;
  /** The check's array and the Int32 index within it ('' and -1 for an access of all the memory). */
  array: string;
  index: number;
  kind: KindCode;
  /** What the access answered: the value read, written or replaced, or a wait's outcome. */
  result: number | bigint | string;
  /** The element's value just before and just after the access (null for an access of all the memory). */
  before: number | bigint | null;
  after: number | bigint | null;
}

/** One call of a learner's export in a run, from its first to its last event. */
export interface CallRecord {
  task: number;
  fn: string;
  args: readonly CallArgument[];
  /** Events of the run before the call began, and when it ended (-1 while it runs). */
  start: number;
  end: number;
  status: 'running' | 'returned' | 'threw';
  value?: unknown;
  error?: Error;
}

/** A thread asleep in a controlled Atomics.wait, until a notify (or, for a timed wait, the explorer) wakes it. */
interface Sleeper {
  thread: number;
  word: number;
  notified: boolean;
  timed: boolean;
}

export interface CallOptions {
  /** Show the call's answer as its own row in the timeline ("pop()" → "pop() → 2"), for tasks that make several calls. */
  shown?: string;
}

export interface ThreadsOptions {
  /** The learner's module, compiled and instrumented (sandbox/compile.ts). */
  code: string;
  filename: string;
  arrays: readonly SharedArraySpec[];
  /** How many threads to start. */
  threads: number;
}

export interface StressOptions {
  /** A self-contained function (it is sent to the threads as source): see StressContext. */
  driver: string;
  /** How many threads run it at once. */
  workers: number;
  /** Calls each thread makes (the driver reads it as ctx.iterations). */
  iterations: number;
  /** Words whose accesses are timed to see critical sections overlap, `array[from … to-1]` (the driver marks calls). */
  watch?: { array: string; from: number; to: number };
  initial: Readonly<Record<string, readonly number[]>>;
  /** When to give up on threads that have not finished. */
  timeoutMs: number;
}

/** What one stress run saw. */
export interface StressOutcome {
  /** Threads that finished in time (the others were stopped). */
  finished: number;
  workers: number;
  /** What the drivers counted (`ctx.seen`), summed over the threads. */
  counts: Record<string, number>;
  /** Calls that began a watched section while another thread was inside one. */
  overlaps: number;
  /** What each thread's driver returned (null for a thread that did not finish). */
  values: unknown[];
  /** The first error a driver or the learner's code threw, if any. */
  error: string | null;
  ms: number;
}

/**
 * The worker threads of one check, and the shared memory they map. Runs of the explorer drive
 * them one step at a time (reset, then call); the stress layer lets them loose (stress). Close it
 * when the check ends: every thread is stopped, even one spinning in learner code.
 */
export class Threads {
  readonly memory: SharedMemory;
  private readonly scratch = new SharedArrayBuffer(4096);
  private threads: Thread[] = [];
  private readonly retired: Promise<void>[] = [];
  private world: World | null = null;
  private labels: string[] = [];
  private sleepers: Sleeper[] = [];
  /** The run's controlled accesses and calls, in order. */
  accesses: Access[] = [];
  calls: CallRecord[] = [];
  private loadError: ModuleLoadError | null = null;

  private constructor(private readonly options: ThreadsOptions) {
    this.memory = new SharedMemory(options.arrays);
  }

  /**
   * Start the threads and load the learner's module in each. Throws an Error when a thread cannot
   * start at all; a module that throws as it loads makes every reset throw ModuleLoadError.
   */
  static async open(options: ThreadsOptions): Promise<Threads> {
    const threads = new Threads(options);
    threads.threads = Array.from({ length: options.threads }, (_, i) => threads.spawn(i));
    const states = await Promise.all(threads.threads.map((t) => t.settleAsync(START_TIMEOUT_MS)));
    try {
      for (const [i, state] of states.entries()) threads.loaded(threads.threads[i]!, state);
    } catch (error) {
      if (!(error instanceof ModuleLoadError)) {
        await threads.close();
        throw error;
      }
      // Every run will say so: the explorer reports a module that throws as it loads.
      threads.loadError = error;
    }
    return threads;
  }

  get size(): number {
    return this.threads.length;
  }

  private spawn(index: number): Thread {
    const thread = new Thread({
      memory: this.memory.buffer,
      scratch: this.scratch,
      layout: this.memory.layout,
      code: this.options.code,
      filename: this.options.filename,
      hooks: HOOKS,
      index,
    });
    thread.post(Command.RESET, null);
    return thread;
  }

  /** Check the answer to RESET: a fresh module instance, or the error it threw while loading. */
  private loaded(thread: Thread, state: number | null): void {
    if (state === null) throw new Error('a worker thread did not start in time: is the machine overloaded?');
    if (state === State.THREW) {
      const { error } = thread.answer();
      throw new ModuleLoadError(`${error?.name ?? 'Error'}: ${error?.message ?? 'unknown error'}`);
    }
  }

  /**
   * A fresh run on every thread: abandon what a previous run left half-way, load a fresh module
   * instance (module-level state starts over), and replace threads that ran away. Blocking, bounded.
   */
  reset(): void {
    if (this.loadError) throw this.loadError;
    for (const [i, thread] of this.threads.entries()) {
      let current = thread;
      if (!current.broken && current.state() === State.REQUEST) {
        current.setState(State.ABORT);
        if (current.settle(RESET_TIMEOUT_MS) === null) current.broken = true;
      }
      let state: number | null = null;
      if (!current.broken) {
        current.post(Command.RESET, null);
        state = current.settle(RESET_TIMEOUT_MS);
        if (state === null) current.broken = true;
      }
      if (current.broken) {
        this.retired.push(current.stop());
        current = this.spawn(i);
        this.threads[i] = current;
        state = current.settle(START_TIMEOUT_MS);
      }
      this.loaded(current, state);
    }
    this.world = null;
  }

  /** Bind the threads to the run under way: its world and the timeline's name of each thread's task. */
  begin(world: World, labels: readonly string[], initial: Readonly<Record<string, readonly number[]>>): void {
    this.world = world;
    this.labels = [...labels];
    this.sleepers = [];
    this.accesses = [];
    this.calls = [];
    this.memory.reset(initial);
  }

  /**
   * Call the learner's export `fn` on thread `t`, every shared access a controlled operation of the
   * calling task. Resolves with what the call returned, rejects with what it threw.
   */
  async call(
    t: number,
    fn: string,
    args: readonly CallArgument[],
    options: CallOptions = {},
  ): Promise<unknown> {
    const world = this.world;
    if (!world) throw new Error('no run under way: call begin() first');
    const thread = this.threads[t]!;
    const record: CallRecord = { task: t, fn, args, start: world.events.length, end: -1, status: 'running' };
    this.calls.push(record);
    thread.post(Command.CALL, { fn, args });
    let state = this.settle(t, world);
    for (;;) {
      if (state === null) return new Promise(() => {});
      if (state === State.DONE || state === State.THREW) break;
      state = await this.step(t, world, this.calls.filter((c) => c.task === t).length - 1);
    }
    const answer = thread.answer();
    record.end = world.events.length;
    if (state === State.THREW) {
      record.status = 'threw';
      record.error = learnerError(answer);
      if (options.shown)
        world.record(options.shown, [], `✗ ${record.error.name}: ${record.error.message}`, t);
      throw record.error;
    }
    record.status = 'returned';
    record.value = decoded(answer);
    if (options.shown)
      world.record(
        options.shown,
        [],
        record.value === undefined ? '→ done' : `→ ${formatValue(record.value)}`,
        t,
      );
    return record.value;
  }

  /**
   * Call `fn` on thread `t` with direct access to the memory, while no other thread runs (to read
   * a result after a run). Throws what the call threw; blocking, bounded.
   */
  free(t: number, fn: string, args: readonly CallArgument[]): unknown {
    const thread = this.threads[t]!;
    thread.post(Command.FREE, { fn, args });
    const state = thread.settle(STEP_TIMEOUT_MS);
    if (state === null) {
      thread.broken = true;
      throw new Error(`${fn} ran for more than ${STEP_TIMEOUT_MS / 1000} s: an endless loop?`);
    }
    if (state === State.THREW) throw learnerError(thread.answer());
    return decoded(thread.answer());
  }

  /** Wait for thread t's next request or answer; a thread that takes too long ran away, and fails the run. */
  private settle(t: number, world: World): number | null {
    const thread = this.threads[t]!;
    const state = thread.settle(STEP_TIMEOUT_MS);
    if (state !== null) return state;
    thread.broken = true;
    world.fail(
      `${this.labels[t] ?? `thread ${t + 1}`} ran for more than ${STEP_TIMEOUT_MS / 1000} s without touching the shared memory or returning: an endless loop? (A loop that waits for another thread must read the shared memory — through Atomics — on every turn.)`,
      'steps',
    );
    return null;
  }

  /** Offer thread t's pending access to the explorer as an operation; answer the thread's next state. */
  private async step(t: number, world: World, call: number): Promise<number | null> {
    const thread = this.threads[t]!;
    const req = thread.request();
    const memory = this.memory;
    const element = memory.element(req.offset, req.type);
    const array = memory.arrayName(req.offset, req.type);
    const index = memory.index(req.offset, req.type);
    const words = memory.words(req.offset, req.type);
    // Footprints are recorded as each access takes effect, from what it did: a compare-exchange that
    // failed only read, a notify that woke nobody left the sleepers as they were.
    const touch = (object: 'mem' | 'wait', write: boolean) => {
      for (const w of words) world.access(object, String(w), write);
    };
    let next: number | null = null;
    const whole = req.kind === Kind.WHOLE;
    const current = () => (whole ? null : memory.read(req.offset, req.type));
    const log = (result: number | bigint | string, before: number | bigint | null) =>
      this.accesses.push({
        task: t,
        call,
        event: world.events.length,
        array: whole ? '' : array,
        index: whole ? -1 : index,
        kind: req.kind as KindCode,
        result,
        before,
        after: current(),
      });
    const run = (result: number | bigint) => {
      thread.grant(result);
      next = this.settle(t, world);
    };
    const show = (v: unknown) => (typeof v === 'bigint' ? `${v}n` : String(v));
    if (req.kind === Kind.WHOLE) {
      const { what, write } = thread.answer() as unknown as { what: string; write: boolean };
      await world.op(
        what,
        [],
        () => {
          log('', null);
          run(0);
        },
        {
          touches: [{ object: 'mem', key: ALL, write }],
          describe: () => 'done',
        },
      );
      return next;
    }
    if (req.kind === Kind.WAIT)
      return this.wait(t, world, req, { array, index, element, touch, run, log, show, next: () => next });
    if (req.kind === Kind.NOTIFY) {
      const count = req.a as number;
      const name = `Atomics.notify(${array}, ${index}${Number.isFinite(count) ? `, ${count}` : ''})`;
      await world.op(
        name,
        [],
        () => {
          const woken = this.wake(words[0]!, count);
          touch('wait', woken > 0);
          log(woken, current());
          run(woken);
          return woken;
        },
        { touches: [] },
      );
      return next;
    }
    const name = this.accessName(req.kind, element, array, index, req.a, req.b, show);
    await world.op(
      name,
      [],
      () => {
        const before = current();
        const value = memory.perform(req.kind, req.offset, req.type, req.a, req.b);
        const failedExchange = req.kind === Kind.COMPARE_EXCHANGE && value !== req.a;
        touch('mem', req.kind !== Kind.READ && req.kind !== Kind.LOAD && !failedExchange);
        log(value, before);
        run(value);
        return value;
      },
      { touches: [], describe: show },
    );
    return next;
  }

  private accessName(
    kind: number,
    element: string,
    array: string,
    index: number,
    a: number | bigint,
    b: number | bigint,
    show: (v: unknown) => string,
  ): string {
    switch (kind) {
      case Kind.READ:
        return element;
      case Kind.WRITE:
        return `${element} = ${show(a)}`;
      case Kind.LOAD:
        return `Atomics.load(${array}, ${index})`;
      case Kind.COMPARE_EXCHANGE:
        return `Atomics.compareExchange(${array}, ${index}, ${show(a)}, ${show(b)})`;
      default: {
        const op = Object.entries(Kind).find(([, code]) => code === kind)![0];
        const method = op === 'STORE' ? 'store' : op.toLowerCase();
        return `Atomics.${method}(${array}, ${index}, ${show(a)})`;
      }
    }
  }

  /**
   * A controlled Atomics.wait: one step compares the word and either answers "not-equal" or puts
   * the thread to sleep; a second step, enabled once a notify picked it (or at any time for a wait
   * with a timeout), wakes it. A sleeper nothing will wake leaves the run stuck, and says on what.
   */
  private async wait(
    t: number,
    world: World,
    req: ReturnType<Thread['request']>,
    ctx: {
      array: string;
      index: number;
      element: string;
      touch: (object: 'mem' | 'wait', write: boolean) => void;
      run: (result: number | bigint) => void;
      log: (result: string, before: number | bigint | null) => void;
      show: (v: unknown) => string;
      next: () => number | null;
    },
  ): Promise<number | null> {
    const name = `Atomics.wait(${ctx.array}, ${ctx.index}, ${ctx.show(req.a)}${req.timed ? ', …' : ''})`;
    const word = this.memory.words(req.offset, req.type)[0]!;
    let sleeper: Sleeper | null = null;
    const answer = await world.op(
      name,
      [],
      () => {
        const current = this.memory.read(req.offset, req.type);
        ctx.touch('mem', false);
        if (current !== req.a) {
          ctx.log('not-equal', current);
          ctx.run(1);
          return 'not-equal';
        }
        ctx.touch('wait', true);
        ctx.log('sleeps', current);
        sleeper = { thread: t, word, notified: false, timed: req.timed };
        this.sleepers.push(sleeper);
        return 'sleeps';
      },
      { touches: [], describe: String },
    );
    if (answer !== 'sleeps' || !sleeper) return ctx.next();
    const asleep: Sleeper = sleeper;
    await world.op(
      `wakes from ${name}`,
      [],
      () => {
        this.sleepers = this.sleepers.filter((s) => s !== asleep);
        // A timed wait may end before or after a notify: the two race. An untimed one only follows it.
        if (asleep.timed) ctx.touch('wait', true);
        ctx.log(asleep.notified ? 'ok' : 'timed-out', this.memory.read(req.offset, req.type));
        ctx.run(asleep.notified ? 0 : 2);
        return asleep.notified ? 'ok' : 'timed-out';
      },
      {
        describe: String,
        heldBack: () =>
          asleep.notified || asleep.timed
            ? null
            : `${this.labels[t] ?? `thread ${t + 1}`} sleeps forever in ${name}: ${ctx.element} is ${ctx.show(this.memory.read(req.offset, req.type))}, and no thread left running will call Atomics.notify on it — a release that stores without notifying, or a notify made before the sleeper went to sleep.`,
        touches: [],
      },
    );
    return ctx.next();
  }

  /** Atomics.notify: wake up to `count` sleepers on `word`, oldest first; answer how many. */
  private wake(word: number, count: number): number {
    let woken = 0;
    for (const sleeper of this.sleepers) {
      if (woken >= count) break;
      if (sleeper.word !== word || sleeper.notified) continue;
      sleeper.notified = true;
      woken++;
    }
    return woken;
  }

  /**
   * Let `options.workers` threads run the driver at once on real cores, each with a fresh module
   * instance over freshly initialised memory, until all finish or time runs out (the ones still
   * running are stopped and replaced later).
   */
  async stress(options: StressOptions): Promise<StressOutcome> {
    const started = performance.now();
    const workers = Math.min(options.workers, this.threads.length);
    this.reset();
    this.memory.reset(options.initial);
    new Int32Array(this.scratch).fill(0);
    const watch = options.watch;
    const watched = watch ? this.memory.layout.find((a) => a.name === watch.array) : undefined;
    const messages = new Map<
      number,
      { counts: Record<string, number>; intervals: Float64Array; value: unknown }
    >();
    const listeners: Array<() => void> = [];
    for (let w = 0; w < workers; w++) {
      const thread = this.threads[w]!;
      const onMessage = (message: {
        counts: Record<string, number>;
        intervals: Float64Array;
        value: unknown;
      }) => messages.set(w, message);
      thread.worker.on('message', onMessage);
      listeners.push(() => thread.worker.off('message', onMessage));
      const request: StressRequest = {
        driver: options.driver,
        worker: w,
        workers,
        iterations: options.iterations,
        watch:
          watch && watched
            ? { byteOffset: watched.byteOffset + watch.from * 4, words: watch.to - watch.from }
            : null,
      };
      thread.post(Command.STRESS, request);
    }
    const states = await Promise.all(
      this.threads.slice(0, workers).map((t) => t.settleAsync(options.timeoutMs)),
    );
    // A message posted just before DONE may still be on its way.
    for (let tries = 0; tries < 50 && states.some((s, w) => s === State.DONE && !messages.has(w)); tries++)
      await pause(2);
    for (const off of listeners) off();
    let error: string | null = null;
    const counts: Record<string, number> = {};
    const values: unknown[] = [];
    const intervals: Array<{ worker: number; data: Float64Array }> = [];
    for (const [w, state] of states.entries()) {
      const thread = this.threads[w]!;
      if (state === null) thread.broken = true;
      if (state === State.THREW) {
        const answer = thread.answer();
        error ??= `${answer.error?.name ?? 'Error'}: ${answer.error?.message ?? ''}`;
      }
      const message = messages.get(w);
      values.push(message?.value ?? null);
      if (!message) continue;
      for (const [what, n] of Object.entries(message.counts)) counts[what] = (counts[what] ?? 0) + n;
      intervals.push({ worker: w, data: message.intervals });
    }
    return {
      finished: states.filter((s) => s === State.DONE).length,
      workers,
      counts,
      overlaps: overlaps(intervals),
      values,
      error,
      ms: performance.now() - started,
    };
  }

  /** Stop every thread (a spinning one too) and wait until each has exited. */
  async close(): Promise<void> {
    const threads = this.threads;
    this.threads = [];
    await Promise.all([...threads.map((t) => t.stop()), ...this.retired]);
  }
}

function decoded(answer: Answer): unknown {
  return answer.undefined ? undefined : answer.value;
}

/** The learner's error, as the call threw it (name and message: its stack stays in the thread). */
function learnerError(answer: Answer): Error {
  const error = new Error(answer.error?.message ?? 'unknown error');
  error.name = answer.error?.name ?? 'Error';
  return error;
}

/**
 * How many watched sections began while another thread was inside one. Each thread's sections are
 * [first, last] ticks of a shared counter every watched access increments (sequentially
 * consistent), so a tick of one thread between two of another's means both were inside at once.
 */
export function overlaps(perThread: ReadonlyArray<{ worker: number; data: Float64Array }>): number {
  const sections: Array<{ worker: number; first: number; last: number }> = [];
  for (const { worker, data } of perThread) {
    for (let i = 0; i + 1 < data.length; i += 2)
      sections.push({ worker, first: data[i]!, last: data[i + 1]! });
  }
  sections.sort((x, y) => x.first - y.first);
  const furthest = new Map<number, number>();
  let count = 0;
  for (const s of sections) {
    for (const [worker, last] of furthest) {
      if (worker !== s.worker && last > s.first) {
        count++;
        break;
      }
    }
    furthest.set(s.worker, Math.max(furthest.get(s.worker) ?? -1, s.last));
  }
  return count;
}
