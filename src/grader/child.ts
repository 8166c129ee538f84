/**
 * The grader process. It runs learner code, so the parent can kill it (and its whole process
 * group) at any time, and it dies with its parent — set up before anything else loads, so that a
 * parent that dies while this process is still starting takes it along too.
 */
import { enableCompileCache } from '../processes/compile-cache.js';
import type { ParentMessage } from './protocol.js';
import { compileWorker } from './thread.js';

/**
 * When the parent is gone, take the group down: on 'disconnect' while this thread is free, and
 * from the compile thread (started below) while learner code spins in this one.
 */
function dieWithParent(): void {
  process.on('disconnect', () => process.kill(-process.pid, 'SIGKILL'));
  if (!process.connected) process.kill(-process.pid, 'SIGKILL');
}

/**
 * A file to grade starts compiling now, while the grading code loads (when the parent compiles it,
 * this only takes its news; see grader/offered.ts).
 */
async function compileAhead(request: ParentMessage): Promise<void> {
  if (request.type !== 'grade') return;
  const [{ readFile }, { compileRequest }] = await Promise.all([import('node:fs/promises'), offered]);
  compileRequest(request, request.source ?? (await readFile(request.file, 'utf8')));
}

dieWithParent();
enableCompileCache();
// Booting (and watching the parent) while the rest loads.
compileWorker({ watchParent: true });
// Requests that arrive while the grading code loads wait for it (a message nobody listens for is lost).
const early: ParentMessage[] = [];
const queue = (request: ParentMessage) => {
  early.push(request);
  compileAhead(request).catch(() => {});
};
process.on('message', queue);
// What takes the parent's compilation first: the grading code imports it anyway.
const offered = import('./offered.js');
await offered.catch(() => null);
const { serve } = await import('./grading.js');
process.off('message', queue);
process.on('message', serve);
for (const request of early) serve(request);
