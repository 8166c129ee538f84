/**
 * Starting the compile thread (compile-thread.ts), with nothing else loaded. In the grader
 * process, child.ts starts it first thing, so that it boots while the compiling and grading code
 * loads, and there it also watches the grader's parent. The grader's parent starts one too, to
 * transpile ahead (see Grader.grade). grader/compiling.ts sends it work.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/** What the compile thread starts with. */
export interface CompileThreadData {
  /**
   * In the grader process, the pid of its parent: the thread takes the grader's process group
   * down when that parent is gone. Null in any other process.
   */
  parent: number | null;
}

let current: Worker | null = null;

/** The compiled thread script: beside this module in dist/, or dist/grader/ when running from sources. */
function threadScript(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const sibling = path.join(here, 'compile-thread.js');
  return existsSync(sibling) ? sibling : path.resolve(here, '../../dist/grader/compile-thread.js');
}

let watchParent = false;

/**
 * The compile thread of this process: the one running, or a new one. It does not keep the process
 * alive (unref'd). `watchParent` (the grader process, from its first call on): the thread also
 * takes this process's group down when its parent is gone. Throws what `new Worker` throws (a
 * missing script).
 */
export function compileWorker(options: { watchParent?: boolean } = {}): Worker {
  if (options.watchParent) watchParent = true;
  if (current) return current;
  const worker = new Worker(threadScript(), {
    workerData: { parent: watchParent ? process.ppid : null } satisfies CompileThreadData,
  });
  worker.unref();
  const started = performance.now();
  worker.once('exit', () => {
    if (current === worker) current = null;
    // A thread that watches the parent is replaced at once, unless it died young (one that cannot
    // start must not spin); compiling.ts's jobs find the new one.
    if (watchParent && performance.now() - started > 1000) compileWorker();
  });
  current = worker;
  return worker;
}
