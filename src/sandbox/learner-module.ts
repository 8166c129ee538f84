import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import envPaths from 'env-paths';
import { formatValue } from '../explorer/format.js';
import { WorldHooks } from '../explorer/run.js';
import { accessHooks } from './access-hooks.js';
import { accessInstrumentation, HOOKS } from './instrument.js';
import { LEARNER_GLOBALS } from './learner-globals.js';
import { virtualCrypto, virtualGlobals } from './virtual-time.js';

const require = createRequire(import.meta.url);
let loaded: typeof import('typescript') | null = null;
/**
 * The compiler, loaded on first use: a file compiled before comes from the cache without it, and
 * loading it is most of a cold check's start. Through require: importing this 9 MB CommonJS file
 * from ESM costs a lexer pass of ~300 ms more.
 */
function typescript(): typeof import('typescript') {
  loaded ??= require('typescript') as typeof import('typescript');
  return loaded;
}

export interface Compiled {
  /** CommonJS JavaScript, or null when the file does not compile. */
  code: string | null;
  /** Syntax and type errors, each "file:line:col message". */
  diagnostics: string[];
}

const options = (ts: typeof import('typescript')): import('typescript').CompilerOptions => ({
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.CommonJS,
  lib: ['lib.es2023.d.ts'],
  types: [],
  strict: true,
  noEmitOnError: false,
  skipLibCheck: true,
  esModuleInterop: true,
  // Maps a stack captured in the learner's code back to their lines (racelings play shows them).
  inlineSourceMap: true,
});

/**
 * What a compiled file depends on besides its source: the compiler's version and the code that
 * instruments it. A change to either makes every cached compilation stale.
 */
const compilerKey = (() => {
  let key: string | null = null;
  return () => {
    if (key !== null) return key;
    const hash = createHash('sha256');
    hash.update(JSON.parse(readFileSync(require.resolve('typescript/package.json'), 'utf8')).version);
    const here = path.dirname(fileURLToPath(import.meta.url));
    for (const name of ['instrument', 'learner-module', 'learner-globals']) {
      for (const ext of ['.js', '.ts']) {
        try {
          hash.update(readFileSync(path.join(here, `${name}${ext}`)));
        } catch {
          // Running from dist/ or from src/: one of the two is there.
        }
      }
    }
    key = hash.digest('hex');
    return key;
  };
})();

/** Compilations kept across processes, by a hash of the source and the compiler: best effort. */
const compiledCache = {
  dir: path.join(envPaths('racelings').cache, 'compiled'),
  path(file: string, source: string, shownAs: string): string {
    const hash = createHash('sha256').update(compilerKey()).update(file).update(shownAs).update(source);
    return path.join(this.dir, `${hash.digest('hex')}.json`);
  },
  read(at: string): Compiled | null {
    try {
      const cached = JSON.parse(readFileSync(at, 'utf8')) as Compiled;
      return Array.isArray(cached.diagnostics) ? cached : null;
    } catch {
      return null;
    }
  },
  write(at: string, compiled: Compiled): void {
    try {
      mkdirSync(this.dir, { recursive: true });
      const temp = `${at}.${process.pid}.tmp`;
      writeFileSync(temp, JSON.stringify(compiled));
      renameSync(temp, at);
    } catch {
      // A cache that cannot be written only costs the next check a compilation.
    }
  },
};

/** The standard library's declarations, parsed once per process: the slow part of a type check. */
const libCache = new Map<string, import('typescript').SourceFile | undefined>();

const GLOBALS_FILE = '/racelings/learner-globals.d.ts';

/**
 * Type-check, transpile and instrument one learner file: the whole file, not merely its types
 * stripped. The result is cached by content (see compiledCache), so an unchanged file is not
 * compiled twice, even by another process.
 */
export function compileLearnerFile(file: string, source: string, shownAs: string): Compiled {
  const at = compiledCache.path(file, source, shownAs);
  const cached = compiledCache.read(at);
  if (cached) return cached;
  const compiled = compile(file, source, shownAs);
  compiledCache.write(at, compiled);
  return compiled;
}

function compile(file: string, source: string, shownAs: string): Compiled {
  const ts = typescript();
  const OPTIONS = options(ts);
  const host = ts.createCompilerHost(OPTIONS);
  const readLib = host.getSourceFile.bind(host);
  let code: string | null = null;
  host.getSourceFile = (name, languageVersion) => {
    if (path.resolve(name) === path.resolve(file))
      return ts.createSourceFile(name, source, languageVersion, true);
    if (name === GLOBALS_FILE) {
      if (!libCache.has(name))
        libCache.set(name, ts.createSourceFile(name, LEARNER_GLOBALS, languageVersion, true));
      return libCache.get(name);
    }
    if (!libCache.has(name)) libCache.set(name, readLib(name, languageVersion));
    return libCache.get(name);
  };
  host.readFile = (name) => (path.resolve(name) === path.resolve(file) ? source : ts.sys.readFile(name));
  host.fileExists = (name) =>
    name === GLOBALS_FILE || path.resolve(name) === path.resolve(file) || ts.sys.fileExists(name);
  host.writeFile = (name, text) => {
    if (name.endsWith('.js')) code = text;
  };
  const program = ts.createProgram([file, GLOBALS_FILE], OPTIONS, host);
  const learnerFile = program.getSourceFile(file);
  const diagnostics = [
    ...program.getSyntacticDiagnostics(learnerFile),
    ...program.getSemanticDiagnostics(learnerFile),
  ].map((d) => formatDiagnostic(d, shownAs));
  // Instrumented as it is emitted: the explorer sees which shared state each step touches.
  if (diagnostics.length === 0) {
    program.emit(learnerFile, undefined, undefined, false, { before: [accessInstrumentation(ts, program)] });
  }
  return { code: diagnostics.length === 0 ? code : null, diagnostics };
}

function formatDiagnostic(diagnostic: import('typescript').Diagnostic, shownAs: string): string {
  const ts = typescript();
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
  if (!diagnostic.file || diagnostic.start === undefined) return `${shownAs}: ${message}`;
  const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
  return `${shownAs}:${line + 1}:${character + 1} ${message} (TS${diagnostic.code})`;
}

/**
 * Modules an exercise may import: deterministic and free of I/O. `async_hooks` gives
 * AsyncLocalStorage, the Node way of confining a request's context to its own async calls.
 */
const ALLOWED_IMPORTS = new Set([
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
const VIRTUAL_IMPORTS = new Set(['crypto', 'node:crypto']);

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
