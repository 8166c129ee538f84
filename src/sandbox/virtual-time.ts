import { createHash } from 'node:crypto';
import { WorldHooks } from '../explorer/run.js';
import { EPOCH_MS, type World } from '../explorer/world.js';

/** The world of the run under way; learner code that reads time or randomness outside one is a bug of ours. */
function world(): World {
  const current = WorldHooks.current;
  if (!current) throw new Error('learner code ran outside an explored run');
  return current;
}

/**
 * What the learner's module sees as time and chance, controlled by the explorer: timers are steps
 * it schedules (in order of due time), the clock moves only when a timer fires or a timed caller
 * arrives, and `Math.random` is a seeded sequence. A retry loop with backoff and jitter runs as it
 * would, and a sleep that hopes another task has finished meets the schedule where it has not.
 */
export function virtualGlobals(): Record<string, unknown> {
  const now = () => EPOCH_MS + world().readClock();
  const RealDate = Date;
  class VirtualDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(now());
      else super(...(args as [string]));
    }
    static override now(): number {
      return now();
    }
  }
  const DateFunction = new Proxy(VirtualDate, {
    // `Date()` called without new answers the time as a string.
    apply: () => new RealDate(now()).toString(),
  });
  const timer =
    (name: string, repeat: boolean) =>
    (callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
      if (typeof callback !== 'function') throw new TypeError(`${name}: the callback must be a function`);
      return world().timer(
        name,
        name === 'setImmediate' ? 0 : Number(ms ?? 0),
        () => callback(...args),
        repeat,
      );
    };
  const immediate = (callback: (...args: unknown[]) => void, ...args: unknown[]) =>
    world().timer('setImmediate', 0, () => callback(...args), false);
  const clear = (handle: unknown) => world().clearTimer(handle);
  const random = () => world().random();
  const bytes = (n: number) => {
    const out = Buffer.alloc(n);
    for (let i = 0; i < n; i++) out[i] = Math.floor(random() * 256);
    return out;
  };
  const uuid = () => {
    const b = bytes(16);
    b[6] = (b[6]! & 0x0f) | 0x40;
    b[8] = (b[8]! & 0x3f) | 0x80;
    const hex = b.toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  };
  const crypto = {
    randomUUID: uuid,
    getRandomValues: <T extends ArrayBufferView>(array: T): T => {
      const view = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
      view.set(bytes(view.length));
      return array;
    },
  };
  return {
    setTimeout: timer('setTimeout', false),
    setInterval: timer('setInterval', true),
    setImmediate: immediate,
    clearTimeout: clear,
    clearInterval: clear,
    clearImmediate: clear,
    Date: DateFunction,
    performance: { now: () => world().readClock(), timeOrigin: EPOCH_MS },
    Math: Object.create(Math, { random: { value: random } }),
    crypto,
  };
}

/** `node:crypto` as an exercise may import it: random values from the run's seeded sequence. */
export function virtualCrypto(): Record<string, unknown> {
  const globals = virtualGlobals();
  const crypto = globals.crypto as { randomUUID: () => string };
  const random = (globals.Math as Math).random;
  return {
    randomUUID: crypto.randomUUID,
    randomBytes: (n: number) => {
      const out = Buffer.alloc(n);
      for (let i = 0; i < n; i++) out[i] = Math.floor(random() * 256);
      return out;
    },
    randomInt: (min: number, max?: number) => {
      const [lo, hi] = max === undefined ? [0, min] : [min, max];
      return lo + Math.floor(random() * (hi - lo));
    },
    createHash,
  };
}
