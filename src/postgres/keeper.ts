import path from 'node:path';
import { execa } from '../processes/execa.js';
import { registerService, releaseService } from '../processes/services.js';

/** Every server's temporary directory starts with this, and the keeper removes nothing else… */
export const SERVER_DIR_PREFIX = 'racelings-pg-';
/** …but the template cluster being made in the cache, which an interrupted first start leaves. */
export const STAGING_PREFIX = 'cluster-staging-';

/**
 * The keeper reads its parent's pipe. The pipe ends when the parent is gone — a normal exit, a signal,
 * a crash or SIGKILL alike — and then the keeper stops the server and removes the folders it was
 * given. Plain CommonJS for `node -e`, so it runs the same from sources and from dist.
 */
const KEEPER_SOURCE = String.raw`
const fs = require('node:fs');
const path = require('node:path');
const dirs = new Set();
let pid = 0;
let pending = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  pending += chunk;
  for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
    const line = pending.slice(0, nl);
    pending = pending.slice(nl + 1);
    if (line.startsWith('pid ')) pid = Number(line.slice(4));
    if (line.startsWith('dir ')) dirs.add(line.slice(4));
    if (line === 'stopped') { pid = 0; dirs.clear(); }
  }
});
function alive(p) {
  try {
    if (fs.readFileSync('/proc/' + p + '/stat', 'utf8').split(') ')[1].startsWith('Z')) return false;
  } catch {}
  try {
    process.kill(p, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}
let cleaning = false;
function cleanup() {
  if (cleaning) return;
  cleaning = true;
  if (!pid) {
    for (const dir of dirs) {
      try {
        pid = Number(fs.readFileSync(path.join(dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
      } catch {}
      if (pid) break;
    }
  }
  const started = Date.now();
  let signal = 'SIGINT';
  const step = () => {
    if (pid > 0 && alive(pid) && Date.now() - started < 20000) {
      try { process.kill(pid, signal); } catch {}
      if (Date.now() - started > 10000) signal = 'SIGKILL';
      setTimeout(step, 25);
      return;
    }
    for (const dir of dirs) {
      const name = path.basename(dir);
      if (name.startsWith('${SERVER_DIR_PREFIX}') || name.startsWith('${STAGING_PREFIX}')) {
        try { fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5 }); } catch {}
      }
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

export interface Keeper {
  /** A folder to remove if we die: a server's, or a template being made (named with a prefix above). */
  own(dir: string): void;
  /** The server's postmaster pid, for the keeper to stop if we die. */
  watch(pid: number): void;
  /** We stopped the server and removed its folders ourselves: the keeper may go. */
  release(): void;
}

/**
 * Start a keeper through execa: detached (its own process group, so a Ctrl-C or a grader's group
 * kill leaves it running to clean up), reading our pipe; it neither keeps us alive nor writes
 * anywhere. execa's exit cleanup would kill it with us, which is the one moment it is for.
 */
export function startKeeper(): Keeper {
  const child = execa(process.execPath, ['-e', KEEPER_SOURCE], {
    detached: true,
    cleanup: false,
    stdin: 'pipe',
    stdout: 'ignore',
    stderr: 'ignore',
    buffer: false,
    reject: false,
  });
  child.catch(() => undefined);
  child.unref();
  const pid = child.pid;
  if (pid) registerService(pid);
  const pipe = child.stdin;
  pipe.on('error', () => undefined);
  (pipe as unknown as { unref?: () => void }).unref?.();
  const say = (line: string) => {
    if (!pipe.destroyed) pipe.write(`${line}\n`);
  };
  return {
    own: (dir) => say(`dir ${path.resolve(dir)}`),
    watch: (server) => say(`pid ${server}`),
    release: () => {
      if (!pipe.destroyed) pipe.end('stopped\n');
      if (pid) releaseService(pid);
    },
  };
}
