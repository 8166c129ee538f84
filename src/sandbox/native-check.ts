/**
 * The type check of a learner's file by TypeScript's native compiler (TypeScript 7, the `tsc`
 * binary of the `@typescript/typescript-<platform>-<arch>` package). It gives the diagnostics of
 * the JavaScript compiler (same codes, messages and positions for our options; test/native-check
 * compares them) in ~70 ms, where the JavaScript compiler first loads a 9 MB script and parses
 * the standard library's 516 KB of declarations (~1 s on a cold check). Transpiling and
 * instrumenting stay with the JavaScript compiler (sandbox/compile.ts): they need its transformer API,
 * which TypeScript 7 does not have.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { CACHE_DIR } from '../cache.js';
import { LEARNER_GLOBALS, LEARNER_OPTIONS } from './learner-globals.js';

const require = createRequire(import.meta.url);
/** Where the configurations the native compiler reads are kept (they are reused, never temporary). */
const CONFIG_DIR = path.join(CACHE_DIR, 'typecheck');
/** A native check that takes longer has hung: the JavaScript compiler checks instead. */
const NATIVE_TIMEOUT_MS = 30_000;

/**
 * The manifest (package.json) of the native compiler's package for this platform, or null when it
 * is not installed here. Also keys the compile cache (sandbox/compile.ts).
 */
export function nativePackage(): string | null {
  try {
    return require.resolve(`@typescript/typescript-${process.platform}-${process.arch}/package.json`);
  } catch {
    return null;
  }
}

/** The native compiler for this platform, or null when it is not installed or turned off. */
function nativeCompiler(): string | null {
  const manifest = nativePackage();
  if (!manifest || process.env.RACELINGS_NATIVE_TSC === '0') return null;
  return path.join(path.dirname(manifest), 'lib', process.platform === 'win32' ? 'tsc.exe' : 'tsc');
}

/**
 * The native compiler's version ("7.0.2"), or null when it does not type-check here (its package
 * is not installed for this platform, or RACELINGS_NATIVE_TSC=0). For `racelings doctor`.
 */
export function nativeCompilerVersion(): string | null {
  const manifest = nativePackage();
  if (!manifest || !nativeCompiler()) return null;
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

/** Write `text` to `at` unless it is there already: content-addressed files never change. */
function ensureFile(at: string, text: string): void {
  try {
    if (readFileSync(at, 'utf8') === text) return;
  } catch {
    // Not there yet.
  }
  writeFileAtomic.sync(at, text);
}

/**
 * The configuration that checks `file`: LEARNER_OPTIONS and the learner globals, as the
 * JavaScript compiler has them. Kept in the cache folder by a hash of the file's path and the
 * configuration.
 */
function configFor(file: string): string {
  mkdirSync(CONFIG_DIR, { recursive: true });
  const hash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);
  const globals = path.join(CONFIG_DIR, `learner-globals-${hash(LEARNER_GLOBALS)}.d.ts`);
  ensureFile(globals, LEARNER_GLOBALS);
  const config = {
    compilerOptions: { ...LEARNER_OPTIONS, noEmit: true },
    files: [path.resolve(file), globals],
  };
  const text = `${JSON.stringify(config, null, 2)}\n`;
  const at = path.join(CONFIG_DIR, `tsconfig-${hash(`${path.resolve(file)}\n${text}`)}.json`);
  ensureFile(at, text);
  return at;
}

/** One diagnostic of `tsc --pretty false`: `path(line,col): error TS2322: message`, then indented lines. */
const DIAGNOSTIC = /^(.+)\((\d+),(\d+)\): error TS(\d+): (.*)$/;

/**
 * The type errors of `file`, whose content is `source`, each "shownAs:line:col message (TScode)"
 * as sandbox/compile.ts formats them; or null when the native compiler cannot answer for this
 * content (not installed for this platform, `RACELINGS_NATIVE_TSC=0`, the file on disk changed
 * since `source` was read, an answer it could not parse, a crash or a hang): the caller then
 * checks with the JavaScript compiler. Never throws.
 */
export async function nativeTypeErrors(
  file: string,
  source: string,
  shownAs: string,
): Promise<string[] | null> {
  const compiler = nativeCompiler();
  if (!compiler) return null;
  try {
    const config = configFor(file);
    const { execa } = await import('../processes/execa.js');
    // One thread: the explorer and the transpiling thread want the other cores meanwhile.
    const result = await execa(compiler, ['-p', config, '--pretty', 'false', '--singleThreaded'], {
      cwd: path.dirname(config),
      reject: false,
      stdin: 'ignore',
      timeout: NATIVE_TIMEOUT_MS,
    });
    // It read the file from disk: the answer is about `source` only if the file still holds it.
    if (readFileSync(file, 'utf8') !== source) return null;
    // 0: no errors; 1 and 2: errors reported (outputs skipped or generated).
    if (result.exitCode === undefined || result.exitCode > 2) return null;
    const errors = parse(result.stdout, path.dirname(config), path.resolve(file), shownAs);
    // Errors reported but none of them the learner's (or the reverse): not an answer to trust.
    if (errors === null || errors.length > 0 !== (result.exitCode !== 0)) return null;
    return errors;
  } catch {
    return null;
  }
}

/** The learner file's diagnostics in `output`; null when a line is not one tsc writes for them. */
function parse(output: string, cwd: string, file: string, shownAs: string): string[] | null {
  const found: { at: string; message: string; code: string }[] = [];
  let ours = false;
  for (const line of output.split(/\r?\n/)) {
    if (line === '') continue;
    const match = DIAGNOSTIC.exec(line);
    if (match) {
      const [, where, row, column, code, message] = match as unknown as string[];
      ours = path.resolve(cwd, where!) === file;
      if (ours) found.push({ at: `${shownAs}:${row}:${column}`, message: message!, code: code! });
      continue;
    }
    // A message's chained details, indented: joined as flattenDiagnosticMessageText(…, ' ') does.
    if (line.startsWith('  ') && found.length > 0) {
      if (ours) found[found.length - 1]!.message += ` ${line}`;
      continue;
    }
    // A diagnostic without a position (a configuration error): ours to fix, not the learner's.
    return null;
  }
  return found.map((d) => `${d.at} ${d.message} (TS${d.code})`);
}
