import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

/** Every server's temporary directory starts with this, and the keeper removes nothing else. */
export const SERVER_DIR_PREFIX = 'racelings-pg-';

/**
 * The keeper reads its parent's pipe. The pipe ends when the parent is gone — a normal exit, a signal,
 * a crash or SIGKILL alike — and then the keeper stops the server and removes its directory.
 * Plain CommonJS for `node -e`, so it runs the same from sources and from dist.
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
    try {
      pid = Number(fs.readFileSync(path.join(dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
    } catch {}
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
    if (path.basename(dir).startsWith('${SERVER_DIR_PREFIX}')) {
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

export interface Keeper {
  /** The server's postmaster pid, for the keeper to stop if we die. */
  watch(pid: number): void;
  /** We stopped the server and removed its directory ourselves: the keeper may go. */
  release(): void;
}

/** Start a detached keeper for `dir`. It neither keeps us alive nor writes anywhere. */
export function startKeeper(dir: string): Keeper {
  const child: ChildProcess = spawn(process.execPath, ['-e', KEEPER_SOURCE, path.resolve(dir)], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  child.on('error', () => undefined);
  child.unref();
  const pipe = child.stdin;
  pipe?.on('error', () => undefined);
  (pipe as unknown as { unref?: () => void } | null)?.unref?.();
  return {
    watch: (pid) => pipe?.write(`pid ${pid}\n`),
    release: () => pipe?.end('stopped\n'),
  };
}
