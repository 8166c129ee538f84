/**
 * The grader process's compile thread: it transpiles a learner file for the explorer (TypeScript's
 * transformer API instruments it), or compiles it in full with the JavaScript compiler's type
 * check where the native compiler cannot answer (grader/compiling.ts). It runs no learner code.
 */
import { parentPort } from 'node:worker_threads';
import { enableCompileCache } from '../processes/compile-cache.js';
import { compileLearnerFile, transpileLearnerFile } from '../sandbox/compile.js';
import type { CompileJob, CompileNews } from './compiling.js';

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
