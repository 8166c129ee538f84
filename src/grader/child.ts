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
 * A file to grade that is not in the compile cache starts compiling now, while the grading code
 * loads: TypeScript takes longer to load than the checks.
 */
async function compileAhead(request: ParentMessage): Promise<void> {
  if (request.type !== 'grade') return;
  const [{ readFile }, { compileOnThread }] = await Promise.all([import('node:fs/promises'), compiling]);
  compileOnThread(request.file, await readFile(request.file, 'utf8'), request.shownAs);
}

dieWithParent();
enableCompileCache();
// Booting (and watching the parent) while the rest loads.
compileWorker();
// Requests that arrive while the grading code loads wait for it (a message nobody listens for is lost).
const early: ParentMessage[] = [];
const queue = (request: ParentMessage) => {
  early.push(request);
  compileAhead(request).catch(() => {});
};
process.on('message', queue);
// The compiling code first: the grading code imports it anyway, and when it loaded alongside all
// of that, the compile thread started ~150 ms later on a file edited since its last check.
const compiling = import('./compiling.js');
(await compiling.catch(() => null))?.compileThread();
const { serve } = await import('./grading.js');
process.off('message', queue);
process.on('message', serve);
for (const request of early) serve(request);
