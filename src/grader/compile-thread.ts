/**
 * The compile thread, of the grader process and of its parent. It compiles: it transpiles a
 * learner file for the explorer (TypeScript's transformer API instruments it), or compiles it in
 * full with the JavaScript compiler's type check where the native compiler cannot answer
 * (grader/compiling.ts). In the grader process it also watches the grader's parent: learner code
 * that spins blocks the main thread, not this one. It runs no learner code.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { enableCompileCache } from '../processes/compile-cache.js';
import type { CompileJob, CompileNews } from './compiling.js';
import type { CompileThreadData } from './thread.js';

/** How often this thread looks for the grader's parent (ms). */
const PARENT_POLL_MS = 200;

// In the grader process: when its parent is gone (killed, say), take the grader's whole group
// down, as child.ts does on 'disconnect' while the main thread is free to notice.
const { parent } = workerData as CompileThreadData;
if (parent !== null) {
  setInterval(() => {
    if (process.ppid !== parent) process.kill(-process.pid, 'SIGKILL');
  }, PARENT_POLL_MS);
}

// Before TypeScript loads (at the first job).
enableCompileCache();

/**
 * The compiling code: loaded now where the first job is near (the grader's parent sends it as soon
 * as it has read the file), and TypeScript's source read meanwhile; at the first job in the
 * grader process, which its parent compiles for (grader/compiling.ts): there the thread mostly
 * only watches, and loading would take CPU from the exploring.
 */
let compiler: Promise<typeof import('../sandbox/compile.js')> | null = null;
const compiling = () => {
  compiler ??= import('../sandbox/compile.js').then(async (compile) => {
    await compile.prefetchTypescript();
    return compile;
  });
  return compiler;
};
if (parent === null) void compiling().catch(() => {});

const port = parentPort!;
const tell = (news: CompileNews) => port.postMessage(news);

port.on('message', (job: CompileJob) => {
  // Jobs keep their order: each waits for the same import, then runs to its end.
  void compiling()
    .then(({ compileLearnerFile, transpileLearnerFile }) => {
      if (job.kind === 'transpile') tell({ id: job.id, early: transpileLearnerFile(job.file, job.source) });
      else tell({ id: job.id, compiled: compileLearnerFile(job.file, job.source, job.shownAs) });
    })
    .catch((error: unknown) => {
      tell({ id: job.id, error: error instanceof Error ? error.message : String(error) });
    });
});
