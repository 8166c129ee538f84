import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';

/** The output of `ps`, where there is no /proc: execa loads only then, a cold check does not wait for it. */
async function ps(args: string[], reject: boolean): Promise<string> {
  const { execa } = await import('./execa.js');
  return (await execa('ps', args, { reject })).stdout;
}

/** Every process's parent: from /proc on Linux (no process to start), from `ps` elsewhere. */
async function parents(): Promise<Map<number, number>> {
  const parentOf = new Map<number, number>();
  const entries = await readdir('/proc').catch(() => null);
  if (entries) {
    await Promise.all(
      entries
        .filter((name) => /^\d+$/.test(name))
        .map(async (name) => {
          // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after the last ')'.
          const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => null);
          const ppid = stat ? Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) : Number.NaN;
          if (Number.isInteger(ppid)) parentOf.set(Number(name), ppid);
        }),
    );
    return parentOf;
  }
  const stdout = await ps(['-A', '-o', 'pid=,ppid='], true);
  for (const line of stdout.split('\n')) {
    const [pid, ppid] = line.trim().split(/\s+/).map(Number);
    if (pid !== undefined && ppid !== undefined) parentOf.set(pid, ppid);
  }
  return parentOf;
}

/**
 * Whether Linux lists each thread's children (/proc/PID/task/TID/children, CONFIG_PROC_CHILDREN):
 * then the processes below one are found by reading a few files, not every process's stat.
 */
const childrenListed = (() => {
  let listed: boolean | null = null;
  return () => {
    listed ??= existsSync(`/proc/${process.pid}/task/${process.pid}/children`);
    return listed;
  };
})();

/** The children of `pid`, from each of its threads' list (see childrenListed); none once it is gone. */
async function listedChildren(pid: number): Promise<number[]> {
  const threads = await readdir(`/proc/${pid}/task`).catch(() => []);
  const lists = await Promise.all(
    threads.map((tid) => readFile(`/proc/${pid}/task/${tid}/children`, 'utf8').catch(() => '')),
  );
  return lists.flatMap((list) =>
    list
      .split(' ')
      .filter((s) => s !== '')
      .map(Number),
  );
}

/**
 * The processes below `root` (children, grandchildren…), leaving out each process of `keep` and
 * everything below it. A process whose parent has already exited has been adopted by another
 * (init, a subreaper) and is no longer found here.
 */
export async function descendants(root: number, keep: ReadonlySet<number> = new Set()): Promise<number[]> {
  if (childrenListed()) {
    // ~1 ms against ~20 for reading every process's stat, on each grading's reaping.
    const found: number[] = [];
    let level = [root];
    while (level.length > 0) {
      const below = (await Promise.all(level.map(listedChildren))).flat().filter((pid) => !keep.has(pid));
      found.push(...below);
      level = below;
    }
    return found;
  }
  const parentOf = await parents();
  const childrenOf = new Map<number, number[]>();
  for (const [pid, ppid] of parentOf) childrenOf.set(ppid, [...(childrenOf.get(ppid) ?? []), pid]);
  const found: number[] = [];
  const visit = (pid: number) => {
    for (const child of childrenOf.get(pid) ?? []) {
      if (keep.has(child)) continue;
      found.push(child);
      visit(child);
    }
  };
  visit(root);
  return found;
}

/** SIGKILL each process and its process group (a detached child leads a group of its own). */
export function killAll(pids: readonly number[]): void {
  for (const pid of pids) {
    for (const target of [-pid, pid]) {
      try {
        process.kill(target, 'SIGKILL');
      } catch {
        // Already gone, or not a group leader.
      }
    }
  }
}

/** The resident memory of `pid` in MB (VmRSS from /proc, or `ps` elsewhere); null when it is gone. */
export async function residentMemoryMb(pid: number): Promise<number | null> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => null);
  const kb = status
    ? Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1])
    : Number((await ps(['-o', 'rss=', '-p', String(pid)], false)).trim());
  return Number.isFinite(kb) && kb > 0 ? kb / 1024 : null;
}
