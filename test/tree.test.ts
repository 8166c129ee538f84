import { spawn } from 'node:child_process';
import { afterEach, expect, it } from 'vitest';
import { descendants } from '../src/processes/tree.js';

const started: number[] = [];
afterEach(() => {
  for (const pid of started.splice(0)) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // Gone already.
    }
  }
});

/** A shell in a group of its own running `script`; resolves once its children have started. */
async function shell(script: string): Promise<number> {
  const child = spawn('sh', ['-c', script], { stdio: 'ignore', detached: true });
  started.push(child.pid!);
  await new Promise((resolve) => setTimeout(resolve, 300));
  return child.pid!;
}

it('finds the processes below one, grandchildren too, leaving out those kept and what is below them', async () => {
  const outer = await shell('sh -c "sleep 30 & sleep 30 & wait" & sleep 30 & wait');
  const all = await descendants(process.pid);
  const below = await descendants(outer);
  expect(all).toContain(outer);
  // The inner shell, its two sleeps, and the outer shell's own sleep.
  expect(below).toHaveLength(4);
  for (const pid of below) expect(all).toContain(pid);
  // Keeping the inner shell leaves out its sleeps too: only the outer shell's own sleep is left.
  const children = await Promise.all(below.map(async (pid) => ({ pid, below: await descendants(pid) })));
  const inner = children.find((c) => c.below.length === 2);
  expect(inner).toBeDefined();
  expect(await descendants(outer, new Set([inner!.pid]))).toHaveLength(1);
  expect(await descendants(process.pid, new Set([outer]))).not.toContain(outer);
});
