/**
 * The grader process's second thread. It compiles: it transpiles a learner file for the explorer
 * (TypeScript's transformer API instruments it), or compiles it in full with the JavaScript
 * compiler's type check where the native compiler cannot answer (grader/compiling.ts). And it
 * watches the grader's parent: learner code that spins blocks the main thread, not this one. It
 * runs no learner code.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { enableCompileCache } from '../processes/compile-cache.js';
import { compileLearnerFile, transpileLearnerFile } from '../sandbox/compile.js';
import type { CompileJob, CompileNews } from './compiling.js';
import type { CompileThreadData } from './thread.js';

/** How often this thread looks for the grader's parent (ms). */
const PARENT_POLL_MS = 200;

// When the parent is gone (killed, say), take the grader's whole group down, as child.ts does on
// 'disconnect' while the main thread is free to notice.
const { parent } = workerData as CompileThreadData;
setInterval(() => {
  if (process.ppid !== parent) process.kill(-process.pid, 'SIGKILL');
}, PARENT_POLL_MS);

// Before TypeScript loads (at the first job).
enableCompileCache();

const port = parentPort!;
const tell = (news: CompileNews) => port.postMessage(news);

port.on('message', (job: CompileJob) => {
  try {
    if (job.kind === 'transpile') tell({ id: job.id, early: transpileLearnerFile(job.file, job.source) });
    else tell({ id: job.id, compiled: compileLearnerFile(job.file, job.source, job.shownAs) });
  } catch (error) {
    tell({ id: job.id, error: error instanceof Error ? error.message : String(error) });
  }
});
