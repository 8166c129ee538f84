import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Run a shell `script` with `$FULL` a folder on a small tmpfs that the script fills, in a mount
 * namespace of its own (`unshare`; a user namespace too when not root): the mount vanishes with
 * the script, whatever happens to the test. What the script prints is returned, checks included.
 */
export function onSmallDisk(script: string, env: Record<string, string> = {}): string {
  const mountPoint = mkdtempSync(path.join(tmpdir(), 'racelings-full-'));
  try {
    const namespace = process.getuid?.() === 0 ? ['-m'] : ['-r', '-m'];
    const result = spawnSync(
      'unshare',
      [...namespace, 'sh', '-c', `mount -t tmpfs -o size=2m tmpfs "$FULL" || exit 97\n${script}`],
      { encoding: 'utf8', env: { ...process.env, ...env, FULL: mountPoint, NO_COLOR: '1' } },
    );
    if (result.status === 97 || result.error) {
      throw new Error(`cannot mount a small tmpfs here (unshare): ${result.stderr || result.error?.message}`);
    }
    return result.stdout + result.stderr;
  } finally {
    rmSync(mountPoint, { recursive: true, force: true });
  }
}

/** Shell lines that fill `$FULL` to the last block. */
export const FILL = 'dd if=/dev/zero of="$FULL/fill" bs=4k >/dev/null 2>&1; true';
