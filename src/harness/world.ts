import { AsyncLocalStorage } from 'node:async_hooks';
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
  release(fail: boolean): void;
}

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
        heldBack,
        enabled: () => heldBack() === null && (options.lock === undefined || options.lock.holder === null),
        release: (fail) => {
          this.pending.delete(id);
          if (fail) {
            this.record(name, args, 'fails', task);
            reject(new InjectedFailure(`${name}(${args.map(formatValue).join(', ')})`));
            return;
          }
          let value: T;
          try {
            value = effect();
          } catch (error) {
            this.record(name, args, `throws ${formatValue(error)}`, task);
            reject(error);
            return;
          }
          this.record(name, args, `→ ${describe(value)}`, task);
          resolve(value);
        },
      });
    });
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
