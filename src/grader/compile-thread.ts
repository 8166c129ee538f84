/**
 * The grader process's compile thread. For each file it is sent: first the code to explore at once
 * (transpiled without the type check), then the full compilation, type-checked (and written to the
 * cache that checks share). It runs no learner code.
 */
import { parentPort } from 'node:worker_threads';
import { enableCompileCache } from '../processes/compile-cache.js';
import { compileLearnerFile, transpileLearnerFile } from '../sandbox/compile.js';
import type { CompileJob, CompileNews } from './compiling.js';

// Before TypeScript loads (at the first compile).
enableCompileCache();

const port = parentPort!;
const tell = (news: CompileNews) => port.postMessage(news);

port.on('message', (job: CompileJob) => {
  try {
    tell({ id: job.id, early: transpileLearnerFile(job.file, job.source) });
    tell({ id: job.id, compiled: compileLearnerFile(job.file, job.source, job.shownAs) });
  } catch (error) {
    tell({ id: job.id, error: error instanceof Error ? error.message : String(error) });
  }
});
