/**
 * Imported first by the grader process, before the compiler and the checks load (a second or more
 * on a busy machine): from then on, the process dies with its parent. A thread outlives a main
 * thread that spins in learner code; when the parent is gone, it takes the whole group down. The
 * parent names itself in RACELINGS_GRADER_PARENT, so a parent that died before this ran is noticed.
 */
import { Worker } from 'node:worker_threads';

const parent = Number(process.env.RACELINGS_GRADER_PARENT) || process.ppid;
const orphaned = () => process.ppid !== parent;
if (orphaned()) process.kill(-process.pid, 'SIGKILL');

const source = `
  const { workerData } = require('node:worker_threads');
  setInterval(() => {
    if (process.ppid !== workerData) process.kill(-process.pid, 'SIGKILL');
  }, 100);
`;
new Worker(source, { eval: true, workerData: parent }).unref();
process.on('disconnect', () => process.kill(-process.pid, 'SIGKILL'));
