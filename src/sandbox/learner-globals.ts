/**
 * What an exercise file may use beyond the ES2022 library, declared for the type checker: the
 * runtime globals a Node developer reaches for. Timers and the clock run on the explorer's virtual time.
 */
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
`;
