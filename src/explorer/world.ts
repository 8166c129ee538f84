import { AsyncLocalStorage } from 'node:async_hooks';
import { setTimeout as pause } from 'node:timers/promises';
import { mulberry32 } from '../random.js';
import { ALL, Footprint } from './footprint.js';
import { firedAt, formatValue } from './format.js';

/** Which task is running: follows the learner's code across awaits. */
const currentTask = new AsyncLocalStorage<number>();

/** Ops issued outside any task (a constructor, a background loop) belong to this pseudo-task. */
export const BACKGROUND = -1;

export interface Event {
  /** The explorer's step during which it happened. */
  step: number;
  task: number;
  op: string;
  args: unknown[];
  result: string;
}

export interface LockState {
  name: string;
  holder: number | null;
}

/** A location an operation reads or writes when it takes effect (see footprint.ts). */
export interface Touch {
  object: string;
  key: string;
  write: boolean;
}

/** An operation the learner's code has started and the explorer has not yet let take effect. */
export interface PendingOp {
  id: number;
  task: number;
  /** Position among the operations its task has issued (stable across replays). */
  seq: number;
  name: string;
  args: unknown[];
  fallible: boolean;
  /** A lock this op waits for, when it cannot run yet because of it. */
  lock?: LockState;
  /** For a timer: the virtual time (ms) at which it fires. Timers fire in order of this time. */
  due?: number;
  /** Why the op may not run yet, when a scenario holds it back (e.g. "until t2 finished"). */
  heldBack(): string | null;
  enabled(): boolean;
  /**
   * Let the op take effect. `settled` runs in the same microtask as the op's promise settles (or,
   * for a remote op that did not settle, when the release is over): a newcomer's hops count from it.
   */
  release(fail: boolean, settled?: () => void): void | Promise<void>;
  /** For a remote op sent and blocked on the server: what it waits for; null otherwise. */
  blockedOn: string | null;
  /** For a blocked remote op: the tasks whose sessions hold what it waits for. */
  blockers?: number[];
  /** Its effect happens on a server (a statement, a command), not in memory. */
  remote?: boolean;
  /** For a remote op: find out whether it is still blocked, or has finished. */
  poll?(): Promise<void>;
  /** The stack that issued the op, when the run keeps origins (World.origins). */
  origin?: string;
}

/** What a statement blocked on the server waits for: in words, and the tasks whose sessions hold it. */
export interface Blocker {
  on: string;
  holders: number[];
}

export interface RemoteOptions<T> {
  /** What the op waits for on the server (another session's lock), or null when it is not blocked. */
  blocked(): Promise<Blocker | null>;
  /**
   * Resolves when the server itself says the statement just sent waits for a lock (a notice): the
   * explorer asks `blocked` then, instead of after REMOTE_GRACE_MS.
   */
  waiting?: () => Promise<void>;
  describe?: (value: T) => string;
  describeError?: (error: unknown) => string;
  /**
   * A second step that makes the effect visible to others (an autocommit statement's COMMIT): the
   * explorer may run other sessions between the statement and it, as a real server would.
   */
  commit?: () => Promise<void>;
  /** Asked once the statement ran: it committed already (it wrote nothing), so no COMMIT step. */
  committed?: () => boolean;
  /** What the op touches on the server; by default everything there (`db.*`, written). */
  touches?: Touch[];
}

/** How long a remote op may neither finish nor be seen blocked before it counts as hung. */
const REMOTE_SETTLE_MS = 10_000;
/**
 * How long a statement just sent may take before the server is first asked whether it waits for
 * a lock: most finish well within it (a local round trip is a fraction of a ms), so most are never
 * asked about at all — asking (pg_blocking_pids) costs the server more than the statement.
 */
const REMOTE_GRACE_MS = 4;

/** Resolves when `answered` does or after `ms`, whichever comes first; leaves no timer behind. */
export function within(answered: Promise<unknown>, ms: number): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([answered, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]).finally(() =>
    clearTimeout(timer),
  );
}

export interface OpOptions<T> {
  /** May the explorer make this operation fail (it then takes no effect)? */
  fallible?: boolean;
  /**
   * What failing it means: the promise rejects (the default), or the caller's process dies right
   * there (`crash`, see World.crash) and `onCrash` cleans up after it (ends its database session).
   */
  failure?: 'rejects' | 'crashes';
  onCrash?: () => void | Promise<void>;
  /** How the result reads in the timeline. */
  describe?: (value: T) => string;
  /** A scenario constraint: the op may not run while this returns a reason. */
  heldBack?: () => string | null;
  lock?: LockState;
  /**
   * What the op reads and writes when it takes effect, for the partial-order reduction. Without
   * it the op counts as writing `ports.*`: dependent on every other op declared the same way.
   */
  touches?: Touch[];
}

export class InjectedFailure extends Error {
  constructor(what: string) {
    // No stack: it would point into the checker, and capturing one costs more than the whole step.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(`${what} failed (injected by the checker)`);
    Error.stackTraceLimit = limit;
    this.name = 'InjectedFailure';
  }
}

/** The uncontrolled things learner code did: an unhandled rejection, a thrown callback, process.exit. */
export interface Stray {
  task: number;
  what: string;
}

/** A timer of the learner's, as `setTimeout` returns it: Node's handle shape, on virtual time. */
export interface TimerHandle {
  ref(): TimerHandle;
  unref(): TimerHandle;
  hasRef(): boolean;
  refresh(): TimerHandle;
  [Symbol.toPrimitive](): number;
}

/** Virtual time starts here, so that `new Date()` in learner code is the same in every run. */
export const EPOCH_MS = Date.UTC(2026, 0, 1);

/** The default footprint of an operation whose port declares none. */
const UNDECLARED: Touch[] = [{ object: 'ports', key: ALL, write: true }];
const SERVER: Touch[] = [{ object: 'db', key: ALL, write: true }];
const TIMERS: Touch = { object: 'timers', key: ALL, write: true };

/**
 * Everything one explored run can touch. Ports built on it create pending operations; the explorer
 * releases them one at a time, and only then do they take effect. It also keeps the run's virtual
 * clock, and the footprint of the step under way (what the step read and wrote).
 */
export class World {
  readonly pending = new Map<number, PendingOp>();
  readonly events: Event[] = [];
  readonly locks: LockState[] = [];
  readonly strays: Stray[] = [];
  /** Set when an invariant broke in the middle of the run. */
  failure: string | null = null;
  /** What `failure` is: a broken invariant, or code caught running on without end inside a step. */
  failureKind: 'invariant' | 'steps' = 'invariant';
  /** The explorer's current step. */
  step = 0;
  /** A step is under way: accesses are recorded in its footprint. */
  stepping = false;
  /** The microtask round of the current step's turn (0: the step's own synchronous part). */
  round = 0;
  /** The last round of this step's turn in which anything of the learner's ran. */
  lastActiveRound = 0;
  /** Virtual milliseconds since EPOCH_MS. */
  now = 0;
  /** Tasks whose process died (World.crash): they take no more steps, and their operations never settle. */
  readonly crashed = new Set<number>();
  /** Remote operations sent to a server in this run (a PostgreSQL statement, a Redis command). */
  remoteSent = 0;
  /** Callbacks the learner's code queued with process.nextTick in this run (see run.ts, drain). */
  learnerTicks = 0;
  /** Module instances made in this run (each has its own shared variables). */
  instances = 0;
  /** Seeded: `Math.random` in learner code is the same sequence in every run. */
  readonly random = mulberry32(0x5eed);
  /** Keep the stack that issues each operation (costly: only for a run a person steps through). */
  origins = false;
  private footprint = new Footprint();
  private nextId = 0;
  private readonly opsIssued = new Map<number, number>();
  private readonly ids = new WeakMap<object, number>();
  private nextObject = 0;

  task(): number {
    return currentTask.getStore() ?? BACKGROUND;
  }

  runAs<T>(task: number, fn: () => T): T {
    return currentTask.run(task, fn);
  }

  record(op: string, args: unknown[], result: string, task = this.task()): void {
    this.events.push({ step: this.step, task, op, args, result });
  }

  /**
   * End the run with `invariant` broken (the first call wins). `kind` 'steps' says the learner's
   * code never finished a step (a thread spinning without touching anything the explorer controls):
   * such a run cannot be shrunk, and replaying it costs the time it took to notice.
   */
  fail(invariant: string, kind: 'invariant' | 'steps' = 'invariant'): void {
    if (this.failure !== null) return;
    this.failure = invariant;
    this.failureKind = kind;
  }

  stray(what: string): void {
    this.strays.push({ task: this.task(), what });
  }

  /** Record that the step under way read or wrote `key` of `object` (nothing outside a step). */
  access(object: string, key: string, write: boolean): void {
    if (!this.stepping) return;
    this.footprint.record(object, key, write, this.round);
    this.active();
  }

  /** Learner code runs now (the access hooks call this). */
  learnerRuns(): void {
    if (!this.stepping) return;
    if (this.round === 0) this.footprint.learnerAtStart = true;
    this.active();
  }

  /** Something of the learner's ran in this round of the turn. */
  active(): void {
    if (this.round > this.lastActiveRound) this.lastActiveRound = this.round;
  }

  /** A stable number for an object within this run: objects are made in the same order every run. */
  objectId(o: object): number {
    let id = this.ids.get(o);
    if (id === undefined) {
      id = this.nextObject++;
      this.ids.set(o, id);
    }
    return id;
  }

  /** Start step `step`: a fresh footprint, round 0. */
  beginStep(step: number): void {
    this.step = step;
    this.stepping = true;
    this.round = 0;
    this.lastActiveRound = 0;
    this.footprint = new Footprint();
  }

  /** End the step: what it touched, and how many rounds its turn took (at least 1). */
  endStep(): { footprint: Footprint; turn: number } {
    this.stepping = false;
    return { footprint: this.footprint, turn: this.lastActiveRound + 1 };
  }

  private touch(touches: readonly Touch[]): void {
    for (const t of touches) this.access(t.object, t.key, t.write);
  }

  /** The stack of the code issuing an op, when origins are kept; deep enough to reach the learner's frames. */
  private origin(): string | undefined {
    if (!this.origins) return undefined;
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 50;
    const stack = new Error().stack;
    Error.stackTraceLimit = limit;
    return stack;
  }

  private issue(task = this.task()): { task: number; seq: number; id: number } {
    const seq = this.opsIssued.get(task) ?? 0;
    this.opsIssued.set(task, seq + 1);
    this.active();
    return { task, seq, id: this.nextId++ };
  }

  /**
   * The process running `task` dies: its pending operations are dropped, whatever it issues later
   * never settles, and the run counts the task as `crashed`. `cleanUp` runs first (a dead process's
   * database session ends, rolling back its transaction and freeing its locks).
   */
  async crash(task: number, cleanUp?: () => void | Promise<void>): Promise<void> {
    this.crashed.add(task);
    for (const [id, op] of this.pending) if (op.task === task) this.pending.delete(id);
    this.record('crash', [], '💥 the process dies here', task);
    await cleanUp?.();
  }

  /** A controlled operation: `effect` runs when the explorer releases it, and its value resolves the promise. */
  op<T>(name: string, args: unknown[], effect: () => T, options: OpOptions<T> = {}): Promise<T> {
    if (this.crashed.has(this.task())) return new Promise<T>(() => {});
    const { task, seq, id } = this.issue();
    const describe = options.describe ?? formatValue;
    const touches = options.touches ?? UNDECLARED;
    const origin = this.origin();
    return new Promise<T>((resolve, reject) => {
      const heldBack = options.heldBack ?? (() => null);
      this.pending.set(id, {
        id,
        task,
        seq,
        name,
        args,
        fallible: options.fallible ?? false,
        lock: options.lock,
        origin,
        blockedOn: null,
        heldBack,
        enabled: () => heldBack() === null && (options.lock === undefined || options.lock.holder === null),
        release: (fail, settled) => {
          this.pending.delete(id);
          this.touch(touches);
          if (fail && options.failure === 'crashes') {
            this.record(name, args, 'fails', task);
            return this.crash(task, options.onCrash).then(() => settled?.());
          }
          if (fail) {
            this.record(name, args, 'fails', task);
            reject(new InjectedFailure(`${name}(${args.map(formatValue).join(', ')})`));
          } else {
            try {
              const value = effect();
              this.record(name, args, `→ ${describe(value)}`, task);
              resolve(value);
            } catch (error) {
              this.record(name, args, `throws ${formatValue(error)}`, task);
              reject(error);
            }
          }
          settled?.();
        },
      });
    });
  }

  /**
   * An operation whose effect happens elsewhere (a statement sent to PostgreSQL). Released, it is
   * sent and awaited until it finishes or is seen blocked there; a blocked one stays pending, and
   * once the server lets it finish, its result waits for the explorer to deliver it, so the order in
   * which replies arrive never decides anything.
   */
  remote<T>(name: string, args: unknown[], perform: () => Promise<T>, options: RemoteOptions<T>): Promise<T> {
    if (this.crashed.has(this.task())) return new Promise<T>(() => {});
    const { task, seq, id } = this.issue();
    const describe = options.describe ?? formatValue;
    const describeError = options.describeError ?? formatValue;
    const touches = options.touches ?? SERVER;
    const origin = this.origin();
    let outcome: { ok: true; value: T } | { ok: false; error: unknown } | null = null;
    let answered: Promise<unknown> = Promise.resolve();
    return new Promise<T>((resolve, reject) => {
      const settledOrBlocked = async (op: PendingOp, graceMs = 0) => {
        const until = Date.now() + REMOTE_SETTLE_MS;
        if (graceMs > 0) {
          await within(options.waiting ? Promise.race([answered, options.waiting()]) : answered, graceMs);
        }
        while (outcome === null) {
          const blocked = await options.blocked();
          if (outcome !== null) break;
          if (blocked !== null) {
            if (op.blockedOn === null) this.record(name, args, `⏸ waits for ${blocked.on}`, task);
            op.blockedOn = blocked.on;
            op.blockers = blocked.holders;
            return;
          }
          if (Date.now() > until) {
            outcome = { ok: false, error: new Error('the server did not answer in time') };
            break;
          }
          await within(answered, 1);
        }
        op.blockedOn = null;
      };
      const deliver = (quiet = false) => {
        this.pending.delete(id);
        const done = outcome!;
        if (done.ok) {
          if (!quiet) this.record(name, args, `→ ${describe(done.value)}`, task);
          resolve(done.value);
        } else {
          this.record(name, args, `✗ ${describeError(done.error)}`, task);
          reject(done.error);
        }
      };
      let sent = false;
      let executed = false;
      const op: PendingOp = {
        id,
        task,
        seq,
        name,
        args,
        fallible: false,
        remote: true,
        origin,
        blockedOn: null,
        heldBack: () => null,
        enabled: () => op.blockedOn === null,
        release: async (_fail, settled) => {
          this.touch(touches);
          if (!sent) {
            sent = true;
            this.remoteSent++;
            answered = perform().then(
              (value) => {
                outcome = { ok: true, value };
              },
              (error: unknown) => {
                outcome = { ok: false, error };
              },
            );
            await settledOrBlocked(op, REMOTE_GRACE_MS);
          }
          if (op.blockedOn !== null) return settled?.();
          if (options.commit && outcome?.ok && !executed && !options.committed?.()) {
            executed = true;
            this.record(name, args, `→ ${describe(outcome.value)}, not yet committed`, task);
            return settled?.();
          }
          if (executed) {
            try {
              await options.commit?.();
              this.record('COMMIT', [], '(autocommit) → ok', task);
            } catch (error) {
              outcome = { ok: false, error };
            }
          }
          deliver(executed && outcome?.ok === true);
          settled?.();
        },
        poll: async () => {
          if (op.blockedOn !== null) await settledOrBlocked(op);
        },
      };
      this.pending.set(id, op);
    });
  }

  /** Ops sent to a server and blocked there. */
  blocked(): PendingOp[] {
    return [...this.pending.values()].filter((op) => op.blockedOn !== null);
  }

  /** Bring every blocked op up to date: still blocked, or finished and ready to deliver. */
  async stabilize(): Promise<void> {
    for (const op of this.blocked()) await op.poll?.();
  }

  /**
   * Nothing else can run: wait (in real time, bounded) for the server to move one blocked op on,
   * as its deadlock detector or a lock timeout will. False when none moved.
   */
  async awaitServer(limitMs: number): Promise<boolean> {
    const until = Date.now() + limitMs;
    while (Date.now() < until) {
      await this.stabilize();
      if (this.blocked().length === 0 || [...this.pending.values()].some((op) => op.enabled())) return true;
      await pause(2);
    }
    return false;
  }

  /** A non-reentrant lock whose acquisition is a controlled operation; release is immediate. */
  lock(name: string): { acquire(): Promise<() => void> } {
    const state: LockState = { name, holder: null };
    this.locks.push(state);
    const touches = [{ object: 'lock', key: name, write: true }];
    return {
      acquire: () => {
        const task = this.task();
        const acquired = this.op(
          'acquire',
          [name],
          () => {
            state.holder = task;
            return undefined;
          },
          { lock: state, describe: () => 'held', touches },
        );
        return acquired.then(() => {
          let released = false;
          return () => {
            if (released) {
              this.fail(
                `${name} was released twice: the second release could free a lock someone else holds.`,
              );
              return;
            }
            released = true;
            state.holder = null;
            // Not an access: a release only enables the next acquire. Acquisitions of one lock are
            // the steps that conflict; counting the release too would hide their race behind it
            // (Flanagan and Godefroid's "may be co-enabled": an acquire and the holder's release never are).
            this.record('release', [name], 'free');
          };
        });
      },
    };
  }

  /** The earliest time at which a pending timer fires, or Infinity. */
  nextDue(): number {
    let due = Number.POSITIVE_INFINITY;
    for (const op of this.pending.values()) if (op.due !== undefined && op.due < due) due = op.due;
    return due;
  }

  /** Whether `op` is the timer that fires next (the earliest due; the oldest among equals). */
  private firesNext(op: PendingOp): boolean {
    for (const other of this.pending.values()) {
      if (other.due === undefined || other === op) continue;
      if (other.due < op.due! || (other.due === op.due && other.id < op.id)) return false;
    }
    return true;
  }

  /** The virtual clock as learner code reads it (`Date.now()`, `performance.now()`). */
  readClock(): number {
    this.access('clock', 'now', false);
    return this.now;
  }

  /**
   * A virtual timer, as `setTimeout`/`setInterval` make it: firing is a step the explorer chooses
   * (timers fire in order of due time; everything else may run before, between or after them).
   * Firing moves the clock to the timer's due time and runs `callback` as the task that set it.
   */
  timer(name: string, delayMs: number, callback: () => void, repeat: boolean): TimerHandle {
    const task = this.task();
    if (this.crashed.has(task)) repeat = false;
    const delay = Math.max(0, Number.isFinite(delayMs) ? Math.floor(delayMs) : 0);
    let current: number | null = null;
    let cleared = false;
    let refed = true;
    const origin = this.origin();
    const arm = (from: number) => {
      if (this.crashed.has(task)) return;
      const { seq, id } = this.issue(task);
      current = id;
      this.access(TIMERS.object, TIMERS.key, true);
      const op: PendingOp = {
        id,
        task,
        seq,
        name,
        args: [delay],
        fallible: false,
        due: from + delay,
        origin,
        blockedOn: null,
        heldBack: () => null,
        enabled: () => this.firesNext(op),
        release: (_fail, settled) => {
          this.pending.delete(id);
          current = null;
          this.access(TIMERS.object, TIMERS.key, true);
          this.access('clock', 'now', true);
          this.now = Math.max(this.now, op.due!);
          this.record(name, [delay], firedAt(this.now), task);
          if (repeat && !cleared) arm(this.now);
          settled?.();
          this.runAs(task, () => {
            try {
              callback();
            } catch (error) {
              this.stray(`an exception escaped from a ${name} callback: ${formatValue(error)}.`);
            }
          });
        },
      };
      this.pending.set(id, op);
    };
    arm(this.readClock());
    const handle: TimerHandle = {
      ref: () => {
        refed = true;
        return handle;
      },
      unref: () => {
        refed = false;
        return handle;
      },
      hasRef: () => refed,
      refresh: () => {
        if (current !== null) {
          this.pending.delete(current);
          arm(this.readClock());
        }
        return handle;
      },
      [Symbol.toPrimitive]: () => current ?? -1,
    };
    this.handles.set(handle, () => {
      cleared = true;
      if (current !== null && this.pending.delete(current)) this.access(TIMERS.object, TIMERS.key, true);
      current = null;
    });
    return handle;
  }

  /** `clearTimeout`/`clearInterval`: the timer never fires (again). */
  clearTimer(handle: unknown): void {
    if (typeof handle === 'object' && handle !== null) this.handles.get(handle as TimerHandle)?.();
  }

  private readonly handles = new WeakMap<TimerHandle, () => void>();
}
