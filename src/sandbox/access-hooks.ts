import { ALL } from '../explorer/footprint.js';
import { WorldHooks } from '../explorer/run.js';
import type { World } from '../explorer/world.js';

/**
 * The runtime side of the access instrumentation (see instrument.ts): each hook performs the
 * operation the learner wrote and records which shared location it read or wrote in the world of
 * the run under way. Outside a step (a constructor run during setup) nothing is recorded.
 */
export interface AccessHooks {
  /** `o[k]` */
  g(o: unknown, k: PropertyKey): unknown;
  /** `o[k] = v`, answering v */
  s(o: unknown, k: PropertyKey, v: unknown): unknown;
  /** `o[k](...args)` */
  c(o: unknown, k: PropertyKey, ...args: unknown[]): unknown;
  /** `delete o[k]` */
  d(o: unknown, k: PropertyKey): boolean;
  /** `k in o` */
  h(k: PropertyKey, o: unknown): boolean;
  /** `o[k]++` and the like: `prefix` answers the new value, otherwise the old one. */
  u(o: unknown, k: PropertyKey, delta: number, prefix: boolean): unknown;
  /** An iteration, spread or destructuring of o: reads all of it. */
  a<T>(o: T): T;
  /** Record a read of a private field. */
  r(o: unknown, k: string): void;
  /** Record a write of a private field. */
  w(o: unknown, k: string): void;
  /** Record a write of a private field, answering the value written. */
  wv<T>(o: unknown, k: string, v: T): T;
  /** A read of shared variable number `id`, answering its value. */
  vr<T>(id: number, v: T): T;
  /** A write of shared variable number `id`, answering the value written. */
  vw<T>(id: number, v: T): T;
  /** `await p` registers on p. */
  aw<T>(p: T): T;
  /** `new Promise(executor)`, whose settling is recorded as a write of the promise. */
  np(
    executor: (resolve: (value: unknown) => void, reject: (reason: unknown) => void) => void,
  ): Promise<unknown>;
  /** Something the instrumentation cannot see through: it may touch anything. */
  any(): void;
  /** A deep read of everything reachable (structuredClone, JSON.stringify). */
  deep(): void;
}

const ARRAY_MUTATORS = new Set([
  'push',
  'pop',
  'shift',
  'unshift',
  'splice',
  'sort',
  'reverse',
  'fill',
  'copyWithin',
]);
const PROMISE_STATICS = new Set(['all', 'allSettled', 'race', 'any']);
const OBJECT_READERS = new Set([
  'keys',
  'values',
  'entries',
  'getOwnPropertyNames',
  'getOwnPropertySymbols',
  'getOwnPropertyDescriptors',
  'fromEntries',
  'isFrozen',
  'isSealed',
]);

const isObject = (value: unknown): value is object =>
  (typeof value === 'object' && value !== null) || typeof value === 'function';

/** The hooks of one module instance: its shared variables are its own locations. */
export function accessHooks(instance: number): AccessHooks {
  const world = (): World | null => {
    const current = WorldHooks.current;
    if (!current?.stepping) return null;
    current.learnerRuns();
    return current;
  };
  const object = (w: World, o: object) => `o${w.objectId(o)}`;
  /** A Map or Set key, or a property name, as a location key. */
  const keyOf = (w: World, k: unknown): string => {
    if (isObject(k)) return `o${w.objectId(k)}`;
    return typeof k === 'symbol' ? k.toString() : `${typeof k}:${String(k)}`;
  };
  const record = (o: unknown, k: string, write: boolean) => {
    const w = world();
    if (w && isObject(o)) w.access(object(w, o), k, write);
  };
  const property = (o: unknown, k: PropertyKey): string => {
    if (Array.isArray(o) || ArrayBuffer.isView(o) || o instanceof Map || o instanceof Set) return ALL;
    return typeof k === 'symbol' ? k.toString() : String(k);
  };
  const settledPromises = new WeakSet<object>();
  /** Register on a promise: a write of its reactions, and its settling recorded as a write too. */
  const register = (p: unknown) => {
    if (!isObject(p) || typeof (p as { then?: unknown }).then !== 'function') return;
    record(p, 'then', true);
    if (p instanceof Promise && !settledPromises.has(p)) {
      settledPromises.add(p);
      const settle = () => record(p, 'then', true);
      p.then(settle, settle);
    }
  };

  const method = (o: object, k: PropertyKey, args: unknown[]) => {
    const w = world();
    if (!w) return;
    const name = String(k);
    const id = object(w, o);
    if (o instanceof Map || o instanceof WeakMap || o instanceof Set || o instanceof WeakSet) {
      if (name === 'get' || name === 'has') w.access(id, keyOf(w, args[0]), false);
      else if (name === 'set' || name === 'delete' || name === 'add') w.access(id, keyOf(w, args[0]), true);
      else w.access(id, ALL, name === 'clear');
      return;
    }
    if (Array.isArray(o) || ArrayBuffer.isView(o)) {
      w.access(id, ALL, ARRAY_MUTATORS.has(name));
      return;
    }
    if (o instanceof Promise && (name === 'then' || name === 'catch' || name === 'finally')) {
      register(o);
      return;
    }
    if (o === Promise && PROMISE_STATICS.has(name) && isObject(args[0])) {
      w.access(object(w, args[0]), ALL, false);
      for (const item of args[0] as Iterable<unknown>) register(item);
      return;
    }
    if (o === Object || o === Reflect) {
      if (o === Object && OBJECT_READERS.has(name)) {
        if (isObject(args[0])) w.access(object(w, args[0]), ALL, false);
      } else if (o === Object && name === 'assign') {
        if (isObject(args[0])) w.access(object(w, args[0]), ALL, true);
        for (const source of args.slice(1)) if (isObject(source)) w.access(object(w, source), ALL, false);
      } else if (o === Object && name === 'hasOwn') {
        if (isObject(args[0])) w.access(object(w, args[0]), property(args[0], args[1] as PropertyKey), false);
      } else {
        w.access(ALL, ALL, true);
      }
      return;
    }
    if (o === JSON && name === 'stringify') {
      w.access(ALL, ALL, false);
      return;
    }
    if (o === Array && name === 'from' && isObject(args[0])) {
      w.access(object(w, args[0]), ALL, false);
      return;
    }
    w.access(id, property(o, k), false);
  };

  const variables = `v${instance}`;
  return {
    g(o, k) {
      record(o, property(o, k), false);
      return (o as Record<PropertyKey, unknown>)[k];
    },
    s(o, k, v) {
      record(o, property(o, k), true);
      (o as Record<PropertyKey, unknown>)[k] = v;
      return v;
    },
    c(o, k, ...args) {
      const fn = (o as Record<PropertyKey, unknown>)[k];
      if (isObject(o)) method(o, k, args);
      if (typeof fn !== 'function') throw new TypeError(`${String(k)} is not a function`);
      return Reflect.apply(fn, o, args);
    },
    d(o, k) {
      record(o, property(o, k), true);
      return delete (o as Record<PropertyKey, unknown>)[k];
    },
    h(k, o) {
      record(o, property(o, k), false);
      return k in (o as object);
    },
    u(o, k, delta, prefix) {
      const at = property(o, k);
      record(o, at, false);
      record(o, at, true);
      const target = o as Record<PropertyKey, unknown>;
      const raw = target[k];
      const old = typeof raw === 'bigint' ? raw : Number(raw);
      const next = typeof old === 'bigint' ? old + BigInt(delta) : old + delta;
      target[k] = next;
      return prefix ? next : old;
    },
    a(o) {
      record(o, ALL, false);
      return o;
    },
    r(o, k) {
      record(o, k, false);
    },
    w(o, k) {
      record(o, k, true);
    },
    wv(o, k, v) {
      record(o, k, true);
      return v;
    },
    vr(id, v) {
      world()?.access(variables, String(id), false);
      return v;
    },
    vw(id, v) {
      world()?.access(variables, String(id), true);
      return v;
    },
    aw(p) {
      // Every await keeps the step's turn going, even on a plain value: the explorer waits it out.
      world();
      register(p);
      return p;
    },
    np(executor) {
      let settle: { resolve: (value: unknown) => void; reject: (reason: unknown) => void } | null = null;
      const promise = new Promise<unknown>((resolve, reject) => {
        settle = { resolve, reject };
      });
      const { resolve, reject } = settle!;
      const wrote = () => record(promise, 'then', true);
      try {
        executor(
          (value) => {
            wrote();
            resolve(value);
          },
          (reason) => {
            wrote();
            reject(reason);
          },
        );
      } catch (error) {
        reject(error);
      }
      return promise;
    },
    any() {
      world()?.access(ALL, ALL, true);
    },
    deep() {
      world()?.access(ALL, ALL, false);
    },
  };
}
