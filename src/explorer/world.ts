import { AsyncLocalStorage } from 'node:async_hooks';
import { setTimeout as pause } from 'node:timers/promises';
import { formatValue } from './format.js';

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
  /** For a remote op: find out whether it is still blocked, or has finished. */
  poll?(): Promise<void>;
}

export interface RemoteOptions<T> {
  /** What the op waits for on the server (another session's lock), or null when it is not blocked. */
  blocked(): Promise<string | null>;
  describe?: (value: T) => string;
  describeError?: (error: unknown) => string;
  /**
   * A second step that makes the effect visible to others (an autocommit statement's COMMIT): the
   * explorer may run other sessions between the statement and it, as a real server would.
   */
  commit?: () => Promise<void>;
  /** Asked once the statement ran: it committed already (it wrote nothing), so no COMMIT step. */
  committed?: () => boolean;
}

/** How long a remote op may neither finish nor be seen blocked before it counts as hung. */
const REMOTE_SETTLE_MS = 10_000;

export interface OpOptions<T> {
  /** May the explorer make this operation fail (it then takes no effect)? */
  fallible?: boolean;
  /** How the result reads in the timeline. */
  describe?: (value: T) => string;
  /** A scenario constraint: the op may not run while this returns a reason. */
  heldBack?: () => string | null;
  lock?: LockState;
}

export class InjectedFailure extends Error {
  constructor(what: string) {
    super(`${what} failed (injected by the checker)`);
    this.name = 'InjectedFailure';
  }
}

/** The uncontrolled things learner code did: a real timer, an unhandled rejection, a thrown callback. */
export interface Stray {
  task: number;
  what: string;
}

/**
 * Everything one explored run can touch. Ports built on it create pending operations; the explorer
 * releases them one at a time, and only then do they take effect.
 */
export class World {
  readonly pending = new Map<number, PendingOp>();
  readonly events: Event[] = [];
  readonly locks: LockState[] = [];
  readonly strays: Stray[] = [];
  /** Set when an invariant broke in the middle of the run. */
  failure: string | null = null;
  /** The explorer's current step. */
  step = 0;
  private nextId = 0;
  private readonly opsIssued = new Map<number, number>();

  task(): number {
    return currentTask.getStore() ?? BACKGROUND;
  }

  runAs<T>(task: number, fn: () => T): T {
    return currentTask.run(task, fn);
  }

  record(op: string, args: unknown[], result: string, task = this.task()): void {
    this.events.push({ step: this.step, task, op, args, result });
  }

  fail(invariant: string): void {
    this.failure ??= invariant;
  }

  stray(what: string): void {
    this.strays.push({ task: this.task(), what });
  }

  /** A controlled operation: `effect` runs when the explorer releases it, and its value resolves the promise. */
  op<T>(name: string, args: unknown[], effect: () => T, options: OpOptions<T> = {}): Promise<T> {
    const task = this.task();
    const seq = this.opsIssued.get(task) ?? 0;
    this.opsIssued.set(task, seq + 1);
    const id = this.nextId++;
    const describe = options.describe ?? formatValue;
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
        blockedOn: null,
        heldBack,
        enabled: () => heldBack() === null && (options.lock === undefined || options.lock.holder === null),
        release: (fail, settled) => {
          this.pending.delete(id);
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
    const task = this.task();
    const seq = this.opsIssued.get(task) ?? 0;
    this.opsIssued.set(task, seq + 1);
    const id = this.nextId++;
    const describe = options.describe ?? formatValue;
    const describeError = options.describeError ?? formatValue;
    let outcome: { ok: true; value: T } | { ok: false; error: unknown } | null = null;
    return new Promise<T>((resolve, reject) => {
      const settledOrBlocked = async (op: PendingOp) => {
        const until = Date.now() + REMOTE_SETTLE_MS;
        while (outcome === null) {
          const blocked = await options.blocked();
          if (outcome !== null) break;
          if (blocked !== null) {
            if (op.blockedOn === null) this.record(name, args, `⏸ waits for ${blocked}`, task);
            op.blockedOn = blocked;
            return;
          }
          if (Date.now() > until) {
            outcome = { ok: false, error: new Error('the server did not answer in time') };
            break;
          }
          await pause(1);
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
        blockedOn: null,
        heldBack: () => null,
        enabled: () => op.blockedOn === null,
        release: async (_fail, settled) => {
          if (!sent) {
            sent = true;
            perform().then(
              (value) => {
                outcome = { ok: true, value };
              },
              (error: unknown) => {
                outcome = { ok: false, error };
              },
            );
            await settledOrBlocked(op);
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
          { lock: state, describe: () => 'held' },
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
            this.record('release', [name], 'free');
          };
        });
      },
    };
  }
}
