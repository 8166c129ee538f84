import { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import { formatValue } from '../explorer/format.js';
import { WorldHooks } from '../explorer/run.js';
import { accessHooks } from './access-hooks.js';
import { HOOKS } from './instrument.js';
import { virtualCrypto, virtualGlobals } from './virtual-time.js';

/**
 * Modules an exercise may import: deterministic and free of I/O. `async_hooks` gives
 * AsyncLocalStorage, the Node way of confining a request's context to its own async calls.
 */
export const ALLOWED_IMPORTS: ReadonlySet<string> = new Set([
  'events',
  'node:events',
  'assert',
  'node:assert',
  'util',
  'node:util',
  'async_hooks',
  'node:async_hooks',
]);
/** Modules an exercise gets a controlled stand-in for: random values from the run's seeded sequence. */
export const VIRTUAL_IMPORTS: ReadonlySet<string> = new Set(['crypto', 'node:crypto']);

const notAvailable = (id: string) =>
  new Error(`exercises run without I/O: importing '${id}' is not available here`);

/**
 * `process.getBuiltinModule` (Node 20.16+) loads a built-in module without `import`: it answers
 * with the same allow-list. A grader process installs it on the real `process` too
 * (`closeBuiltinModules`), since learner code can reach that one through globalThis.
 */
const builtinRequire = createRequire(import.meta.url);
const allowedBuiltin = (id: string): object | undefined => {
  if (VIRTUAL_IMPORTS.has(id)) return virtualCrypto();
  if (!ALLOWED_IMPORTS.has(id)) throw notAvailable(id);
  return builtinRequire(id);
};

/** For a process that runs learner code: `process.getBuiltinModule` keeps to the allow-list. */
export function closeBuiltinModules(): void {
  if ('getBuiltinModule' in process) {
    Object.defineProperty(process, 'getBuiltinModule', { value: allowedBuiltin, configurable: true });
  }
}

/** Where learner code's console output goes: nowhere while exploring, a buffer while replaying. */
export const LearnerConsole: {
  lines: string[] | null;
  readonly current: Record<string, (...data: unknown[]) => void>;
} = {
  lines: null,
  current: Object.fromEntries(
    ['log', 'error', 'warn', 'info', 'debug'].map((level) => [
      level,
      (...data: unknown[]) =>
        LearnerConsole.lines?.push(data.map((d) => (typeof d === 'string' ? d : formatValue(d))).join(' ')),
    ]),
  ),
};

export class ProcessExit extends Error {
  constructor(code: unknown) {
    super(`process.exit(${code === undefined ? '' : String(code)}) was called`);
    this.name = 'ProcessExit';
  }
}

/**
 * Compile once, instantiate per schedule: each call gives a fresh module with fresh module-level
 * state, so a schedule abandoned half-way cannot poison the next one.
 */
export function moduleFactory<M>(code: string, filename: string): () => M {
  const nodeRequire = createRequire(path.resolve(filename));
  const learnerRequire = (id: string) => {
    if (VIRTUAL_IMPORTS.has(id)) return virtualCrypto();
    if (!ALLOWED_IMPORTS.has(id)) throw notAvailable(id);
    return nodeRequire(id);
  };
  const learnerProcess = Object.create(process, {
    getBuiltinModule: { value: allowedBuiltin },
    // Counted: the explorer's end of a step waits for the event loop when the learner's ticks are about.
    nextTick: {
      value: (callback: (...args: unknown[]) => void, ...args: unknown[]) => {
        if (WorldHooks.current) WorldHooks.current.learnerTicks++;
        process.nextTick(callback, ...args);
      },
    },
    exit: {
      value: (code?: unknown) => {
        const exit = new ProcessExit(code);
        WorldHooks.current?.stray(`${exit.message}: learner code must not end the process.`);
        throw exit;
      },
    },
  });
  const params = ['exports', 'require', 'module', '__filename', '__dirname', 'process', 'console', HOOKS];
  // Made once: they read the run under way from WorldHooks on every call.
  const globals = virtualGlobals();
  const virtual = Object.keys(globals);
  const body = vm.compileFunction(code, [...params, ...virtual], { filename });
  return () => {
    const module = { exports: {} as M };
    const instance = WorldHooks.current ? WorldHooks.current.instances++ : 0;
    body(
      module.exports,
      learnerRequire,
      module,
      filename,
      path.dirname(filename),
      learnerProcess,
      LearnerConsole.current,
      accessHooks(instance),
      ...virtual.map((name) => globals[name]),
    );
    return module.exports;
  };
}
