import path from 'node:path';
import { execa } from '../processes/execa.js';
import { registerService, releaseService } from '../processes/services.js';

/** Every private server's temporary folder starts with this; the keeper removes nothing else. */
export const REDIS_DIR_PREFIX = 'racelings-redis-';

/**
 * The keeper reads its parent's pipe. The pipe ends when the parent is gone — a normal exit, a
 * signal, a crash or SIGKILL alike — and then the keeper stops the server (SIGTERM, then SIGKILL
 * after 5 s) and removes its folder. Plain CommonJS for `node -e`, so it runs the same from sources
 * and from dist. It signals the pid only while that pid is still a redis-server (on Linux it reads
 * /proc; elsewhere it trusts the pid), so a reused pid is never killed.
 */
const KEEPER_SOURCE = String.raw`
const fs = require('node:fs');
const path = require('node:path');
const dir = process.argv[1];
let pid = 0;
let pending = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  pending += chunk;
  for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
    const line = pending.slice(0, nl);
    pending = pending.slice(nl + 1);
    if (line.startsWith('pid ')) pid = Number(line.slice(4));
    if (line === 'stopped') pid = 0;
  }
});
function isServer(p) {
  let stat;
  try {
    stat = fs.readFileSync('/proc/' + p + '/stat', 'utf8');
  } catch (error) {
    if (fs.existsSync('/proc/self/stat')) return false;
    try { process.kill(p, 0); return true; } catch (e) { return e.code === 'EPERM'; }
  }
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return stat.includes('(redis-server') && state !== 'Z';
}
let cleaning = false;
function cleanup() {
  if (cleaning) return;
  cleaning = true;
  const started = Date.now();
  const step = () => {
    if (pid > 0 && isServer(pid) && Date.now() - started < 10000) {
      try { process.kill(pid, Date.now() - started > 5000 ? 'SIGKILL' : 'SIGTERM'); } catch {}
      setTimeout(step, 25);
      return;
    }
    if (path.basename(dir).startsWith('${REDIS_DIR_PREFIX}')) {
      try { fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5 }); } catch {}
    }
    process.exit(0);
  };
  step();
}
process.stdin.on('end', cleanup);
process.stdin.on('error', cleanup);
process.on('SIGTERM', cleanup);
process.on('SIGINT', () => {});
process.on('SIGHUP', () => {});
`;

/** What the server's owner tells its keeper. */
export interface Keeper {
  /** The server's pid, for the keeper to stop if we die. */
  watch(pid: number): void;
  /** We stopped the server and removed its folder ourselves: the keeper may go. */
  release(): void;
}

/**
 * Start a keeper for the private server living in `dir`: detached (its own process group, so a
 * group kill of ours leaves it standing to clean up), holding nothing of ours alive.
 */
export function startKeeper(dir: string): Keeper {
  const keeper = execa(process.execPath, ['-e', KEEPER_SOURCE, path.resolve(dir)], {
    detached: true,
    cleanup: false,
    stdin: 'pipe',
    stdout: 'ignore',
    stderr: 'ignore',
    reject: false,
  });
  keeper.catch(() => undefined);
  keeper.unref();
  // A service of this process: the grader's sweep of strays after a grading must leave it standing.
  const own = keeper.pid;
  if (own) registerService(own);
  const pipe = keeper.stdin;
  pipe?.on('error', () => undefined);
  (pipe as unknown as { unref?: () => void } | null)?.unref?.();
  return {
    watch: (pid) => pipe?.write(`pid ${pid}\n`),
    release: () => {
      pipe?.end('stopped\n');
      if (own) releaseService(own);
    },
  };
}
