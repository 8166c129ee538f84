/**
 * Starting the grader's compile thread (compile-thread.ts), with nothing else loaded: child.ts
 * starts it first thing, so that it boots while the compiling and grading code loads (it also
 * watches the parent), and grader/compiling.ts sends it work.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/** What the compile thread starts with: the pid of the grader's parent, which it watches. */
export interface CompileThreadData {
  parent: number;
}

let current: Worker | null = null;

/** The compiled thread script: beside this module in dist/, or dist/grader/ when running from sources. */
function threadScript(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const sibling = path.join(here, 'compile-thread.js');
  return existsSync(sibling) ? sibling : path.resolve(here, '../../dist/grader/compile-thread.js');
}

/**
 * The compile thread of this process: the one running, or a new one. It does not keep the process
 * alive (unref'd). Throws what `new Worker` throws (a missing script).
 */
export function compileWorker(): Worker {
  if (current) return current;
  const worker = new Worker(threadScript(), {
    workerData: { parent: process.ppid } satisfies CompileThreadData,
  });
  worker.unref();
  worker.once('exit', () => {
    if (current === worker) current = null;
  });
  current = worker;
  return worker;
}
