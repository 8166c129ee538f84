/**
 * Compiling a learner's file: type-checked, transpiled in full (enums, parameter properties) and
 * instrumented for the explorer, with TypeScript. No learner code runs here, so a grader process
 * can compile on a thread of its own (grader/compiling.ts) while it explores.
 */

import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import writeFileAtomic from 'write-file-atomic';
import { CACHE_DIR, JsonCache } from '../cache.js';
import { accessInstrumentation } from './instrument.js';
import { LEARNER_GLOBALS, LEARNER_OPTIONS } from './learner-globals.js';
import { nativePackage } from './native-check.js';

const require = createRequire(import.meta.url);
let loaded: typeof import('typescript') | null = null;
/** Where V8's code cache of TypeScript is kept (Node 20), and whether it still has to be written. */
let codeCache: { at: string; script: vm.Script; write: boolean } | null = null;

/**
 * The compiler, loaded on first use: a file compiled before comes from the cache without it, and
 * loading it is most of a cold check's start. As CommonJS (importing this 9 MB file from ESM costs
 * a lexer pass of ~300 ms more), through `vm.Script` with V8's code cache of it, made after the
 * first transpile so that the functions that ran are in it. On every Node version: Node 22's own
 * compile cache (processes/compile-cache.ts) keeps only what compiles before the script runs, and
 * loading and transpiling took 530–570 ms with it against 270–340 ms with ours (Node 22.23,
 * loaded 2-core machine).
 */
function typescript(): typeof import('typescript') {
  if (loaded) return loaded;
  const file = require.resolve('typescript');
  const version = JSON.parse(readFileSync(require.resolve('typescript/package.json'), 'utf8')).version;
  // Made after a transpile (saveCodeCache): a cache made after a type check holds the checker's
  // functions too and loads ~50 ms slower, for the transpile that every edited file needs. V8
  // rejects a cache made under other flags (the grader process runs with --max-old-space-size, its
  // parent without), so each set of flags has its own: one shared would be rewritten by each in turn.
  const flags = createHash('sha256')
    .update(`${process.execArgv.join(' ')}\0${process.env.NODE_OPTIONS ?? ''}`)
    .digest('hex')
    .slice(0, 12);
  const at = path.join(
    CACHE_DIR,
    `typescript-${version}-node${process.version}-${process.arch}-${flags}.transpile.v8`,
  );
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(at);
  } catch {
    // Not made yet: the first transpile makes it (saveCodeCache).
  }
  // V8 rejects a cache made for other source or flags.
  const script = new vm.Script(prefetched ?? wrappedModule(wrapped(readFileSync(file))), {
    filename: file,
    cachedData,
  });
  prefetched = null;
  const exports = { exports: {} };
  script.runInThisContext()(exports.exports, createRequire(file), exports, file, path.dirname(file));
  codeCache = { at, script, write: cachedData === undefined || script.cachedDataRejected === true };
  loaded = exports.exports as typeof import('typescript');
  return loaded;
}

const [HEAD, TAIL] = ['(function (exports, require, module, __filename, __dirname) {', '\n})'] as const;

/**
 * A CommonJS module's source inside the function wrapper CommonJS gives a module, as one flat
 * string, from `buffer`: the wrapper's head, the file's bytes, its tail. TypeScript's 9 MB are
 * ASCII: decoded as Latin-1, the string is made in one copy, without the UTF-8 decoding and the
 * flattening of a concatenated string (~400 → ~250 ms to load TypeScript, measured on a cold
 * 2-core machine). Other bytes are decoded as UTF-8.
 */
function wrappedModule(buffer: Buffer): string {
  if (isAscii(buffer)) return buffer.toString('latin1');
  return `${HEAD}${buffer.subarray(HEAD.length, buffer.length - TAIL.length).toString('utf8')}${TAIL}`;
}

/** `file` read between the wrapper's head and tail, for wrappedModule. */
function wrapped(file: Buffer): Buffer {
  return Buffer.concat([Buffer.from(HEAD, 'latin1'), file, Buffer.from(TAIL, 'latin1')]);
}

/** TypeScript's wrapped source, read ahead by prefetchTypescript and taken by its first load. */
let prefetched: string | null = null;
let prefetching: Promise<boolean> | null = null;

/**
 * Read TypeScript's source ahead of its first use, on libuv's thread pool, so that a thread that
 * waits for its first job (the grader's parent's compile thread, grader/compile-thread.ts) spends
 * the wait reading rather than a job reading. Resolves when it is done: true when the source was
 * read, false when it could not be or TypeScript is loaded already (loading then reads it as
 * before). Never rejects.
 */
export function prefetchTypescript(): Promise<boolean> {
  if (loaded) return Promise.resolve(false);
  prefetching ??= (async () => {
    // Read straight into the buffer wrappedModule decodes: one copy of 9 MB fewer than `wrapped`,
    // ~30 ms on the path of a cold check.
    const handle = await open(require.resolve('typescript'), 'r');
    try {
      const size = (await handle.stat()).size;
      const buffer = Buffer.allocUnsafeSlow(HEAD.length + size + TAIL.length);
      buffer.write(HEAD, 0, 'latin1');
      buffer.write(TAIL, HEAD.length + size, 'latin1');
      for (let at = 0; at < size; ) {
        const { bytesRead } = await handle.read(buffer, HEAD.length + at, size - at, at);
        if (bytesRead === 0) return false;
        at += bytesRead;
      }
      // Loaded meanwhile (a job that did not wait): nothing is left to use it.
      if (loaded) return false;
      prefetched = wrappedModule(buffer);
      return true;
    } finally {
      await handle.close();
    }
  })().catch(() => false);
  return prefetching;
}

/** How many caches of TypeScript's code are kept: one per Node version and set of flags in use. */
const CODE_CACHES_KEPT = 6;

/**
 * After a first transpile, so that the functions it ran are in the cache too: best effort. Each
 * Node version and set of flags has its own cache (3–4 MB), so each upgrade of Node would leave one
 * behind: only the CODE_CACHES_KEPT written last stay.
 */
function saveCodeCache(): void {
  if (!codeCache?.write) return;
  codeCache.write = false;
  try {
    mkdirSync(CACHE_DIR, { recursive: true });
    writeFileAtomic.sync(codeCache.at, codeCache.script.createCachedData());
    const caches = readdirSync(CACHE_DIR)
      .filter((name) => /^typescript-.*\.transpile\.v8$/.test(name))
      .map((name) => path.join(CACHE_DIR, name))
      .map((at) => ({ at, written: statSync(at).mtimeMs }))
      .sort((a, b) => b.written - a.written);
    for (const { at } of caches.slice(CODE_CACHES_KEPT)) if (at !== codeCache.at) rmSync(at, { force: true });
  } catch {
    // The next process loads TypeScript without it, or old caches stay until the next one is made.
  }
}

export interface Compiled {
  /** CommonJS JavaScript, or null when the file does not compile. */
  code: string | null;
  /** Syntax and type errors, each "file:line:col message". */
  diagnostics: string[];
}

const options = (ts: typeof import('typescript')): import('typescript').CompilerOptions => ({
  ...ts.convertCompilerOptionsFromJson(LEARNER_OPTIONS, '/').options,
  noEmitOnError: false,
  // Maps a stack captured in the learner's code back to their lines (racelings play shows them).
  inlineSourceMap: true,
});

/**
 * What a compiled file depends on besides its source: the compilers' versions (the JavaScript one,
 * and the native one that type-checks when it is installed) and the code that instruments and
 * checks it. A change to any makes every cached compilation stale.
 */
const compilerKey = (() => {
  let key: string | null = null;
  return () => {
    if (key !== null) return key;
    const hash = createHash('sha256');
    hash.update(JSON.parse(readFileSync(require.resolve('typescript/package.json'), 'utf8')).version);
    // No native compiler here: the JavaScript one type-checks.
    const native = nativePackage();
    if (native) hash.update(readFileSync(native));
    const here = path.dirname(fileURLToPath(import.meta.url));
    for (const name of ['compile', 'instrument', 'learner-globals', 'native-check']) {
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

/** Compilations kept across processes, by the compiler, the file and its source. */
const compiledCache = new JsonCache<Compiled>('compiled', (compiled) => Array.isArray(compiled.diagnostics));
const compiledAt = (file: string, source: string, shownAs: string) =>
  compiledCache.at(compilerKey(), file, shownAs, source);

/** The standard library's declarations, parsed once per process: the slow part of a type check. */
const libCache = new Map<string, import('typescript').SourceFile | undefined>();

const GLOBALS_FILE = '/racelings/learner-globals.d.ts';

/**
 * Type-check, transpile and instrument one learner file: the whole file, not merely its types
 * stripped. The result is cached by content (see compiledCache), so an unchanged file is not
 * compiled twice, even by another process.
 */
export function compileLearnerFile(file: string, source: string, shownAs: string): Compiled {
  const at = compiledAt(file, source, shownAs);
  const cached = compiledCache.read(at);
  if (cached) return cached;
  const compiled = compile(file, source, shownAs);
  compiledCache.write(at, compiled);
  return compiled;
}

/**
 * The compilation of a file whose type check was done elsewhere (sandbox/native-check.ts): `code`
 * from `transpileLearnerFile`, kept only when there are no `diagnostics`. Written to the cache that
 * checks share, like `compileLearnerFile`'s.
 */
export function storeCompilation(
  file: string,
  source: string,
  shownAs: string,
  code: string | null,
  diagnostics: string[],
): Compiled {
  const compiled = { code: diagnostics.length === 0 ? code : null, diagnostics };
  compiledCache.write(compiledAt(file, source, shownAs), compiled);
  return compiled;
}

/** The compilation of this very content, from the cache that checks share; null when it is not there. */
export function cachedCompilation(file: string, source: string, shownAs: string): Compiled | null {
  return compiledCache.read(compiledAt(file, source, shownAs));
}

/**
 * The file transpiled and instrumented without the type check (no standard library to parse: a
 * fraction of the time): the code `compileLearnerFile` gives the same content when it type-checks
 * (the instrumentation resolves only the file's own variables), or null on a syntax error. What
 * runs it must still wait for the type check before it gives a verdict.
 */
export function transpileLearnerFile(file: string, source: string): string | null {
  const ts = typescript();
  const OPTIONS = { ...options(ts), noLib: true };
  const host = ts.createCompilerHost(OPTIONS);
  let code: string | null = null;
  host.getSourceFile = (name, languageVersion) =>
    path.resolve(name) === path.resolve(file)
      ? ts.createSourceFile(name, source, languageVersion, true)
      : undefined;
  host.readFile = (name) => (path.resolve(name) === path.resolve(file) ? source : undefined);
  host.fileExists = (name) => path.resolve(name) === path.resolve(file);
  host.writeFile = (name, text) => {
    if (name.endsWith('.js')) code = text;
  };
  const program = ts.createProgram([file], OPTIONS, host);
  const learnerFile = program.getSourceFile(file);
  if (program.getSyntacticDiagnostics(learnerFile).length > 0) return null;
  program.emit(learnerFile, undefined, undefined, false, { before: [accessInstrumentation(ts, program)] });
  // Where the native compiler type-checks, this is all TypeScript ever runs: its code cache is made here.
  saveCodeCache();
  return code;
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
  // As tsc does (and the native check, sandbox/native-check.ts): the type errors of a file that
  // does not parse are mostly echoes of its syntax errors, so only those are reported.
  const syntactic = program.getSyntacticDiagnostics(learnerFile);
  const diagnostics = (syntactic.length > 0 ? syntactic : program.getSemanticDiagnostics(learnerFile)).map(
    (d) => formatDiagnostic(d, shownAs),
  );
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
