/**
 * Compiling on a thread of the grader process, so that exploring need not wait for the type check:
 * TypeScript loads and parses its standard library there (most of a cold check's compile), while
 * this thread loads the checks and then explores the file transpiled without the type check. The
 * verdict still waits for the type check, and a type error is the verdict, as before.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type Compiled, cachedCompilation } from '../sandbox/compile.js';

/** This thread → the compile thread. */
export interface CompileJob {
  id: number;
  file: string;
  source: string;
  shownAs: string;
}

/** The compile thread → this thread: the code to explore early (null on a syntax error), then the compilation. */
export type CompileNews =
  | { id: number; early: string | null }
  | { id: number; compiled: Compiled }
  | { id: number; error: string };

export interface Compilation {
  /**
   * Code to explore now, and whether it has been type-checked: the compilation when it came from
   * the cache (or the type check was needed to know there is nothing to run, as on a syntax error),
   * else the file transpiled while the type check goes on. Null code: nothing to run.
   */
  first: Promise<{ code: string | null; checked: boolean }>;
  /** The type-checked compilation; rejects when the compile thread failed. */
  done: Promise<Compiled>;
}

interface Waiting {
  early: (code: string | null) => void;
  done: (compiled: Compiled) => void;
  failed: (error: Error) => void;
}

/** The compiled thread script: beside this module in dist/, or dist/grader/ when running from sources. */
function threadScript(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const sibling = path.join(here, 'compile-thread.js');
  return existsSync(sibling) ? sibling : path.resolve(here, '../../dist/grader/compile-thread.js');
}

let thread: Worker | null = null;
let nextId = 1;
const waiting = new Map<number, Waiting>();
/** Compilations under way, by file and content: a second ask for the same joins the first. */
const underWay = new Map<string, Compilation>();

/** The compile thread, started on first use and kept (TypeScript and its library stay parsed in it). */
function compileThread(): Worker {
  if (thread) return thread;
  const worker = new Worker(threadScript());
  worker.unref();
  worker.on('message', (news: CompileNews) => {
    const job = waiting.get(news.id);
    if (!job) return;
    if ('early' in news) return job.early(news.early);
    waiting.delete(news.id);
    if ('compiled' in news) job.done(news.compiled);
    else job.failed(new Error(`the compiler failed: ${news.error}`));
  });
  const lost = (error: Error) => {
    if (thread === worker) thread = null;
    for (const job of waiting.values()) job.failed(error);
    waiting.clear();
  };
  worker.on('error', lost);
  worker.on('exit', (code) => lost(new Error(`the compile thread exited with code ${code}`)));
  thread = worker;
  return worker;
}

/**
 * Compile `source` (the content of `file`): from the cache at once, or on the compile thread (the
 * compilation under way, when the same was asked before: see child.ts, which starts it early).
 */
export function compileOnThread(file: string, source: string, shownAs: string): Compilation {
  const key = JSON.stringify([file, shownAs, source]);
  const current = underWay.get(key);
  if (current) return current;
  const cached = cachedCompilation(file, source, shownAs);
  if (cached)
    return { first: Promise.resolve({ code: cached.code, checked: true }), done: Promise.resolve(cached) };
  let early!: Waiting['early'];
  let done!: Waiting['done'];
  let failed!: Waiting['failed'];
  const doneP = new Promise<Compiled>((resolve, reject) => {
    done = resolve;
    failed = reject;
  });
  const first = new Promise<{ code: string | null; checked: boolean }>((resolve, reject) => {
    early = (code) => {
      if (code !== null) resolve({ code, checked: false });
      else doneP.then((compiled) => resolve({ code: compiled.code, checked: true }), reject);
    };
    doneP.catch(reject);
  });
  // Whoever awaits only `first` must not see `done`'s rejection as unhandled.
  doneP.catch(() => {});
  const id = nextId++;
  waiting.set(id, { early, done, failed });
  compileThread().postMessage({ id, file, source, shownAs } satisfies CompileJob);
  const compilation = { first, done: doneP };
  underWay.set(key, compilation);
  void doneP.catch(() => {}).finally(() => underWay.delete(key));
  return compilation;
}
