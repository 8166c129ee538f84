import { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import { formatValue } from '../explorer/format.js';
import { WorldHooks } from '../explorer/run.js';
import { LEARNER_GLOBALS } from './learner-globals.js';

// Loaded through require: importing this 9 MB CommonJS file from ESM costs a lexer pass of ~300 ms.
const ts: typeof import('typescript') = createRequire(import.meta.url)('typescript');

export interface Compiled {
  /** CommonJS JavaScript, or null when the file does not compile. */
  code: string | null;
  /** Syntax and type errors, each "file:line:col message". */
  diagnostics: string[];
}

const OPTIONS: import('typescript').CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.CommonJS,
  lib: ['lib.es2022.d.ts'],
  types: [],
  strict: true,
  noEmitOnError: false,
  skipLibCheck: true,
  esModuleInterop: true,
};

/** The standard library's declarations, parsed once per process: the slow part of a type check. */
const libCache = new Map<string, import('typescript').SourceFile | undefined>();

const GLOBALS_FILE = '/racelings/learner-globals.d.ts';

/** Type-check and transpile one learner file; the whole file, not merely its types stripped. */
export function compileLearnerFile(file: string, source: string, shownAs: string): Compiled {
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
  if (diagnostics.length === 0) program.emit();
  return { code: diagnostics.length === 0 ? code : null, diagnostics };
}

function formatDiagnostic(diagnostic: import('typescript').Diagnostic, shownAs: string): string {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
  if (!diagnostic.file || diagnostic.start === undefined) return `${shownAs}: ${message}`;
  const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
  return `${shownAs}:${line + 1}:${character + 1} ${message} (TS${diagnostic.code})`;
}

/** Modules an exercise may import: synchronous, deterministic, no I/O. */
const ALLOWED_IMPORTS = new Set(['events', 'node:events', 'assert', 'node:assert', 'util', 'node:util']);

const notAvailable = (id: string) =>
  new Error(`exercises run without I/O: importing '${id}' is not available here`);

/**
 * `process.getBuiltinModule` (Node 20.16+) loads a built-in module without `import`: it answers
 * with the same allow-list. A grader process installs it on the real `process` too
 * (`closeBuiltinModules`), since learner code can reach that one through globalThis.
 */
const builtinRequire = createRequire(import.meta.url);
const allowedBuiltin = (id: string): object | undefined => {
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

/** Timers the explorer does not control: using one is reported, and its callback never runs. */
function uncontrolledTimer(name: string) {
  return () => {
    WorldHooks.current?.stray(
      `${name} is a real timer the checker cannot schedule: wait on the operation's promise instead of on time.`,
    );
    return { ref() {}, unref() {}, hasRef: () => false, [Symbol.toPrimitive]: () => 0 };
  };
}

/**
 * Compile once, instantiate per schedule: each call gives a fresh module with fresh module-level
 * state, so a schedule abandoned half-way cannot poison the next one.
 */
export function moduleFactory<M>(code: string, filename: string): () => M {
  const nodeRequire = createRequire(path.resolve(filename));
  const learnerRequire = (id: string) => {
    if (!ALLOWED_IMPORTS.has(id)) throw notAvailable(id);
    return nodeRequire(id);
  };
  const learnerProcess = Object.create(process, {
    getBuiltinModule: { value: allowedBuiltin },
    exit: {
      value: (code?: unknown) => {
        const exit = new ProcessExit(code);
        WorldHooks.current?.stray(`${exit.message}: learner code must not end the process.`);
        throw exit;
      },
    },
  });
  const params = ['exports', 'require', 'module', '__filename', '__dirname', 'process', 'console'];
  const timers = ['setTimeout', 'setInterval', 'setImmediate'];
  const noop = ['clearTimeout', 'clearInterval', 'clearImmediate'];
  const body = vm.compileFunction(code, [...params, ...timers, ...noop], { filename });
  return () => {
    const module = { exports: {} as M };
    body(
      module.exports,
      learnerRequire,
      module,
      filename,
      path.dirname(filename),
      learnerProcess,
      LearnerConsole.current,
      ...timers.map(uncontrolledTimer),
      ...noop.map(() => () => {}),
    );
    return module.exports;
  };
}
