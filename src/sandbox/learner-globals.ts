/**
 * What an exercise file may use beyond the ES2022 library, declared for the type checker: the
 * runtime globals a Node developer reaches for, and the built-in modules an exercise may import
 * (sandbox/learner-module.ts: the commonly used part of each; `node:crypto` as its seeded
 * stand-in gives it). Timers and the clock run on the explorer's virtual time.
 */
/**
 * The compiler options an exercise file is type-checked with, as a tsconfig.json spells them: the
 * JavaScript compiler (sandbox/compile.ts, which adds its emit options) and the native one
 * (sandbox/native-check.ts) read these same ones. `noResolve`: one file is loaded
 * (sandbox/learner-module.ts), so an import of a sibling or of a package fails to resolve here as it
 * fails there, wherever the file is (not by what lies around it on disk).
 */
export const LEARNER_OPTIONS = {
  target: 'es2022',
  module: 'commonjs',
  lib: ['es2023'],
  types: [] as string[],
  strict: true,
  skipLibCheck: true,
  esModuleInterop: true,
  noResolve: true,
};

export const LEARNER_GLOBALS = `
declare var console: {
  log(...data: unknown[]): void;
  error(...data: unknown[]): void;
  warn(...data: unknown[]): void;
  info(...data: unknown[]): void;
  debug(...data: unknown[]): void;
};
declare function queueMicrotask(callback: () => void): void;
declare function setTimeout(callback: (...args: any[]) => void, ms?: number, ...args: any[]): unknown;
declare function clearTimeout(handle: unknown): void;
declare function setInterval(callback: (...args: any[]) => void, ms?: number, ...args: any[]): unknown;
declare function clearInterval(handle: unknown): void;
declare function setImmediate(callback: (...args: any[]) => void, ...args: any[]): unknown;
declare function clearImmediate(handle: unknown): void;
declare function structuredClone<T>(value: T): T;
declare var performance: { now(): number; readonly timeOrigin: number };
declare module 'node:async_hooks' {
  export class AsyncLocalStorage<T> {
    run<R>(store: T, callback: () => R): R;
    getStore(): T | undefined;
    enterWith(store: T): void;
    exit<R>(callback: () => R): R;
    disable(): void;
  }
}
declare module 'async_hooks' {
  export { AsyncLocalStorage } from 'node:async_hooks';
}
declare var crypto: { randomUUID(): string; getRandomValues<T extends ArrayBufferView>(array: T): T };
declare var process: {
  exit(code?: number): never;
  env: Record<string, string | undefined>;
  nextTick(callback: (...args: any[]) => void, ...args: any[]): void;
};
declare module 'node:crypto' {
  export function randomUUID(): string;
  export function randomInt(max: number): number;
  export function randomInt(min: number, max: number): number;
  export function randomBytes(size: number): Uint8Array & { toString(encoding?: 'hex' | 'base64' | 'base64url'): string };
  export interface Hash {
    update(data: string | Uint8Array): Hash;
    digest(): Uint8Array;
    digest(encoding: 'hex' | 'base64' | 'base64url'): string;
  }
  export function createHash(algorithm: string): Hash;
}
declare module 'crypto' {
  export * from 'node:crypto';
}
declare module 'node:events' {
  type Listener = (...args: any[]) => void;
  export class EventEmitter {
    on(event: string | symbol, listener: Listener): this;
    addListener(event: string | symbol, listener: Listener): this;
    prependListener(event: string | symbol, listener: Listener): this;
    once(event: string | symbol, listener: Listener): this;
    off(event: string | symbol, listener: Listener): this;
    removeListener(event: string | symbol, listener: Listener): this;
    removeAllListeners(event?: string | symbol): this;
    emit(event: string | symbol, ...args: any[]): boolean;
    listenerCount(event: string | symbol): number;
    listeners(event: string | symbol): Listener[];
    eventNames(): (string | symbol)[];
    setMaxListeners(n: number): this;
  }
  export function once(emitter: EventEmitter, event: string | symbol): Promise<any[]>;
  export default EventEmitter;
}
declare module 'events' {
  export * from 'node:events';
  export { default } from 'node:events';
}
declare module 'node:util' {
  export function promisify<T>(fn: (...args: any[]) => void): (...args: any[]) => Promise<T>;
  export function inspect(value: unknown, options?: { depth?: number | null }): string;
  export function format(format?: unknown, ...args: unknown[]): string;
  export function isDeepStrictEqual(a: unknown, b: unknown): boolean;
}
declare module 'util' {
  export * from 'node:util';
}
declare module 'node:assert' {
  function assert(value: unknown, message?: string | Error): asserts value;
  namespace assert {
    function ok(value: unknown, message?: string | Error): asserts value;
    function equal(actual: unknown, expected: unknown, message?: string | Error): void;
    function notEqual(actual: unknown, expected: unknown, message?: string | Error): void;
    function strictEqual<T>(actual: unknown, expected: T, message?: string | Error): asserts actual is T;
    function notStrictEqual(actual: unknown, expected: unknown, message?: string | Error): void;
    function deepStrictEqual<T>(actual: unknown, expected: T, message?: string | Error): asserts actual is T;
    function notDeepStrictEqual(actual: unknown, expected: unknown, message?: string | Error): void;
    function throws(block: () => unknown, message?: string | Error): void;
    function rejects(block: (() => Promise<unknown>) | Promise<unknown>, message?: string | Error): Promise<void>;
    function fail(message?: string | Error): never;
  }
  export = assert;
}
declare module 'assert' {
  import assert = require('node:assert');
  export = assert;
}
`;
