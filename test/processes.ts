import { readFileSync } from 'node:fs';

/** Whether process `pid` is alive: not gone, and not a zombie waiting for its parent (Linux /proc). */
export function isRunning(pid: number): boolean {
  try {
    if (readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z')) return false;
  } catch {
    // No /proc entry: ask kill(0) below.
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Poll `done` for at most 20 s, 50 ms apart (a server's shutdown on a loaded machine); whether it came true. */
export async function eventually(done: () => boolean): Promise<boolean> {
  for (let i = 0; i < 400; i++) {
    if (done()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return done();
}
