import { readdirSync, readFileSync } from 'node:fs';

/**
 * Pids of the processes whose environment holds `entry` ("NAME=value"): everything a test started
 * with that mark in its environment, and all they started in turn (servers, keepers, graders).
 */
export function processesWith(entry: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      if (readFileSync(`/proc/${name}/environ`, 'utf8').split('\0').includes(entry)) pids.push(Number(name));
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return pids;
}

/** Polls until `done` holds, for at most `ms`; the assertion after it says what was expected. */
export async function eventually(done: () => boolean, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!done() && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
}
