/**
 * Compiling beside the grading, so that exploring need not wait for the type check: TypeScript
 * transpiles (and instruments) the file on a compile thread while the native compiler type-checks
 * it in a process of its own (sandbox/native-check.ts), and the grader process explores the
 * transpiled code meanwhile. The verdict still waits for the type check, and a type error is the
 * verdict.
 *
 * This runs in the grader's parent (Grader.grade calls `compileOnThread` there), on a compile
 * thread that the parent starts before the grader process and that reads TypeScript while it
 * waits: on a file edited since its last check, loading TypeScript no longer waits for the grader
 * process and its thread to boot, and the native check finds execa loaded already. The grader
 * process is told the compilation as it comes (grader/offered.ts), and compiles a file itself only
 * when its parent could not.
 */
import type { Worker } from 'node:worker_threads';
import { type Compiled, cachedCompilation, storeCompilation } from '../sandbox/compile.js';
import { nativeTypeErrors } from '../sandbox/native-check.js';
import { compileWorker } from './thread.js';

/**
 * This thread → the compile thread: transpile the file (answered with `early`), or compile it in
 * full with the JavaScript compiler's type check (answered with `compiled`).
 */
export interface CompileJob {
  id: number;
  kind: 'transpile' | 'compile';
  file: string;
  source: string;
  shownAs: string;
}

/** The compile thread → this thread: the answer to one job. */
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

let thread: Worker | null = null;
let nextId = 1;
/** Jobs sent to the compile thread, by id: what to do with the answer, or with the thread's loss. */
const waiting = new Map<number, { answer: (news: CompileNews) => void; failed: (error: Error) => void }>();
/** Compilations under way, by file and content: a second ask for the same joins the first. */
const underWay = new Map<string, Compilation>();
/**
 * The JavaScript compiler on the thread, once warm (its standard library parsed, its checker
 * compiled), type-checks a file in less time than the native one takes to start (watch mode, save
 * to verdict p50: 177 ms against 260 ms passing, 93 against 171 failing): a grader that stays
 * warms it in the background after its first native type check, and uses it from then on.
 */
let javascript: 'cold' | 'warming' | 'warm' = 'cold';
/** How long after its first type check a grader warms the JavaScript compiler (ms). */
const WARM_AFTER_MS = 500;

/**
 * The compile thread (grader/thread.ts), kept: TypeScript stays loaded in it. One that dies is
 * replaced at the next job (in the grader process, where it also watches the parent, thread.ts
 * replaces it at once).
 */
export function compileThread(): Worker {
  if (thread) return thread;
  const worker = compileWorker();
  worker.on('message', (news: CompileNews) => {
    const job = waiting.get(news.id);
    if (!job) return;
    waiting.delete(news.id);
    job.answer(news);
  });
  const lost = (error: Error) => {
    if (thread === worker) thread = null;
    for (const job of waiting.values()) job.failed(error);
    waiting.clear();
  };
  worker.on('error', lost);
  worker.on('exit', (code) => lost(new Error(`the compile thread exited with code ${code}`)));
  // A 'message' listener refs the thread's port again: unref'd after it, the thread does not keep
  // this process alive (the grader's parent exits with it idle).
  worker.unref();
  thread = worker;
  return worker;
}

/** One job on the compile thread; rejects when the thread fails or reports an error. */
function onThread(kind: 'transpile', file: string, source: string, shownAs: string): Promise<string | null>;
function onThread(kind: 'compile', file: string, source: string, shownAs: string): Promise<Compiled>;
function onThread(
  kind: CompileJob['kind'],
  file: string,
  source: string,
  shownAs: string,
): Promise<string | null | Compiled> {
  return new Promise((resolve, reject) => {
    const id = nextId++;
    waiting.set(id, {
      answer: (news) => {
        if ('early' in news) resolve(news.early);
        else if ('compiled' in news) resolve(news.compiled);
        else reject(new Error(`the compiler failed: ${news.error}`));
      },
      failed: reject,
    });
    compileThread().postMessage({ id, kind, file, source, shownAs } satisfies CompileJob);
  });
}

/**
 * Compile `source` (the content of `file`): from the cache at once; else transpiled on the compile
 * thread while the native compiler type-checks it, or, where the native one cannot answer, the
 * JavaScript compiler on the thread. A second ask for the same content joins the compilation under
 * way (child.ts starts it early).
 */
export function compileOnThread(file: string, source: string, shownAs: string): Compilation {
  const key = JSON.stringify([file, shownAs, source]);
  const current = underWay.get(key);
  if (current) return current;
  const cached = cachedCompilation(file, source, shownAs);
  if (cached)
    return { first: Promise.resolve({ code: cached.code, checked: true }), done: Promise.resolve(cached) };
  const transpiled = onThread('transpile', file, source, shownAs);
  const done =
    javascript === 'warm'
      ? onThread('compile', file, source, shownAs)
      : Promise.all([transpiled, nativeTypeErrors(file, source, shownAs)]).then(([code, errors]) => {
          // A file that does not parse has errors: an empty answer for it is not one to trust.
          if (errors === null || (code === null && errors.length === 0))
            return onThread('compile', file, source, shownAs).then((compiled) => {
              javascript = 'warm';
              return compiled;
            });
          return storeCompilation(file, source, shownAs, code, errors);
        });
  // Once the grader has been idle a moment (a check that closes it at once never warms): the
  // warming holds the thread ~1 s, once.
  if (javascript === 'cold') {
    javascript = 'warming';
    const warm = () =>
      onThread('compile', file, source, shownAs).then(
        () => {
          javascript = 'warm';
        },
        () => {
          javascript = 'cold';
        },
      );
    void done.then(
      () => setTimeout(warm, WARM_AFTER_MS).unref(),
      () => (javascript = 'cold'),
    );
  }
  const first = transpiled.then(async (code) =>
    code !== null ? { code, checked: false } : { code: (await done).code, checked: true },
  );
  // Whoever awaits only one of them must not see the other's rejection as unhandled.
  first.catch(() => {});
  done.catch(() => {});
  const compilation = { first, done };
  underWay.set(key, compilation);
  void done.catch(() => {}).finally(() => underWay.delete(key));
  return compilation;
}
