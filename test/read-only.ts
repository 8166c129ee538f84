import { spawnSync } from 'node:child_process';
import { chmodSync } from 'node:fs';

/**
 * Make a folder refuse every write, for as long as `work` runs: `chattr +i` as root (root ignores
 * mode bits), mode 555 otherwise. Restored afterwards so the temporary folder can be removed.
 */
export async function whileReadOnly<T>(dir: string, work: () => Promise<T> | T): Promise<T> {
  const root = process.getuid?.() === 0;
  if (root) {
    const set = spawnSync('chattr', ['+i', dir], { encoding: 'utf8' });
    if (set.status !== 0) throw new Error(`chattr +i ${dir} failed: ${set.stderr || set.error?.message}`);
  } else {
    chmodSync(dir, 0o555);
  }
  try {
    return await work();
  } finally {
    if (root) spawnSync('chattr', ['-i', dir]);
    else chmodSync(dir, 0o755);
  }
}
