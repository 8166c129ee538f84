import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { UserError } from '../errors.js';
import { execa } from '../processes/execa.js';
import { registerService, releaseService } from '../processes/services.js';
import type { PgBinaries, RunAs } from './binaries.js';
import { type Keeper, SERVER_DIR_PREFIX, STAGING_PREFIX, startKeeper } from './keeper.js';

export type LogSink = (line: string) => void;

/** A ready cluster, made once per binaries version and copied for every new server. */
interface Template {
  data: string;
  password: string;
}

/** A running embedded server. */
export interface Cluster {
  port: number;
  password: string;
  /**
   * The folder of the server's Unix-domain socket (`.s.PGSQL.<port>`), or null when the server
   * listens on TCP only (see socketFolder).
   */
  socketDir: string | null;
  /** Stop the server and remove its directory; idempotent. */
  stop(): Promise<void>;
  /** Resolves when the postmaster exits, however that happens. */
  exited: Promise<void>;
}

const SERVER_USER = 'postgres';
const READY = 'database system is ready to accept connections';
const STARTUP_TIMEOUT_MS = 30_000;

/**
 * Settings for a throwaway teaching server: speed over durability, TCP on loopback only (and a
 * Unix-domain socket in the server's own folder, see socketFolder).
 */
const SERVER_SETTINGS = [
  'listen_addresses=127.0.0.1',
  'fsync=off',
  'synchronous_commit=off',
  'full_page_writes=off',
  'lc_messages=C',
  // The WAL kept between checkpoints, in memory where the server's folder is (serverHome).
  'max_wal_size=64MB',
];

/** Memory-backed storage, where a system has it; used for a server's folder when roomy enough. */
const MEMORY_DIR = '/dev/shm';
const MEMORY_NEEDED_BYTES = 1024 ** 3;

/**
 * Where a server's folder goes: TMPDIR when it is set (the person chose), else /dev/shm when it is
 * a folder with a gigabyte free, else the system's temp folder. Every schedule of a check truncates
 * its tables, and PostgreSQL makes and removes files for that: on a disk file system that costs
 * about three times the CPU it does in memory.
 */
async function serverHome(): Promise<string> {
  if (process.env.TMPDIR) return os.tmpdir();
  try {
    const free = await fs.statfs(MEMORY_DIR);
    await fs.access(MEMORY_DIR, fs.constants.W_OK | fs.constants.X_OK);
    if (free.bavail * free.bsize >= MEMORY_NEEDED_BYTES) return MEMORY_DIR;
  } catch {}
  return os.tmpdir();
}

const env = () => ({ ...process.env, LC_ALL: 'C', LC_MESSAGES: 'C' });

function forEachLine(stream: NodeJS.ReadableStream | null, sink: LogSink): void {
  let pending = '';
  stream?.setEncoding('utf8');
  stream?.on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) sink(line);
  });
}

async function chownTree(dir: string, owner: RunAs): Promise<void> {
  await fs.chown(dir, owner.uid, owner.gid);
  const entries = await fs.readdir(dir, { recursive: true });
  await Promise.all(entries.map((entry) => fs.lchown(path.join(dir, entry), owner.uid, owner.gid)));
}

/** A parallel copy: fs.cp walks one file at a time and takes several times longer on a cluster. */
async function copyTree(source: string, target: string): Promise<void> {
  await fs.mkdir(target, { mode: 0o700 });
  const entries = await fs.readdir(source, { withFileTypes: true });
  await Promise.all(
    entries.map((entry) => {
      const from = path.join(source, entry.name);
      const to = path.join(target, entry.name);
      return entry.isDirectory() ? copyTree(from, to) : fs.copyFile(from, to);
    }),
  );
}

/** Run a PostgreSQL tool (initdb) to its end, its output to `log`; its last lines say why it failed. */
async function runToEnd(command: string, args: string[], bins: PgBinaries, cwd: string, log: LogSink) {
  const result = await execa(command, args, {
    cwd,
    env: env(),
    stdin: 'ignore',
    all: true,
    lines: true,
    reject: false,
    ...bins.runAs,
  });
  const lines = result.all.filter((line) => line.trim());
  for (const line of lines) log(line);
  if (result.failed) throw new Error(lines.slice(-3).join(' ') || result.shortMessage);
}

/** Whether `pid` still runs (another user's process counts: EPERM). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Remove the folders `prefix<pid>-…` in `dir` whose maker is gone: what a racelings killed at once
 * (its keeper included) left behind. A recycled pid only delays a removal.
 */
async function sweepOrphans(dir: string, prefix: string): Promise<void> {
  const entries = await fs.readdir(dir).catch(() => [] as string[]);
  await Promise.all(
    entries
      .map((name) => ({ name, maker: new RegExp(`^${prefix}(\\d+)-`).exec(name)?.[1] }))
      .filter(({ maker }) => maker !== undefined && !alive(Number(maker)))
      .map(({ name }) => name)
      .map((name) => fs.rm(path.join(dir, name), { recursive: true, force: true }).catch(() => undefined)),
  );
}

async function ensureTemplate(bins: PgBinaries, log: LogSink, keeper: Keeper): Promise<Template> {
  const home = path.join(bins.cacheDir, `cluster-${bins.version}`);
  const read = async () => ({
    data: path.join(home, 'data'),
    password: (await fs.readFile(path.join(home, 'password'), 'utf8')).trim(),
  });
  const ready = await fs.stat(path.join(home, 'data', 'PG_VERSION')).then(
    () => true,
    () => false,
  );
  if (ready) return read();

  await sweepOrphans(bins.cacheDir, STAGING_PREFIX);
  const staging = await fs.mkdtemp(path.join(bins.cacheDir, `${STAGING_PREFIX}${process.pid}-`));
  keeper.own(staging);
  try {
    const password = randomBytes(18).toString('base64url');
    const passwordFile = path.join(staging, 'password');
    await fs.writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
    if (bins.runAs) await chownTree(staging, bins.runAs);
    await runToEnd(
      path.join(bins.native, 'bin', 'initdb'),
      [
        `--pgdata=${path.join(staging, 'data')}`,
        `--username=${SERVER_USER}`,
        `--pwfile=${passwordFile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--locale=C',
        '--no-sync',
        '--no-instructions',
        '--no-data-checksums',
        // Small WAL segments and few recycled ones keep the cluster we copy per server small.
        '--wal-segsize=1',
        '--set=min_wal_size=2MB',
        // The password is 144 random bits: hashing it 4096 times only slows every connection down.
        '--set=scram_iterations=1',
      ],
      bins,
      staging,
      log,
    );
    // Several processes may build a template at once: the first rename wins, the others use it.
    await fs.rename(staging, home).catch(() => undefined);
  } finally {
    await fs.rm(staging, { recursive: true, force: true });
  }
  return read();
}

/** The longest socket path a sockaddr_un holds on Linux and macOS (108 and 104 bytes, with its NUL). */
const SOCKET_PATH_MAX = 103;

/**
 * Where the server's Unix-domain socket goes: its own folder, when the socket's path fits in a
 * sockaddr_un; else null (TCP only). A round trip over it costs about a third less than over
 * loopback TCP, on both sides, and a check's pass is thousands of round trips.
 */
export function socketFolder(dir: string, port: number): string | null {
  return Buffer.byteLength(path.join(dir, `.s.PGSQL.${port}.lock`)) <= SOCKET_PATH_MAX ? dir : null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}

class StartFailure extends Error {
  constructor(
    readonly portTaken: boolean,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Start the postmaster through execa, in its own process group (detached), so a Ctrl-C or a
 * grader's group kill leaves it to us; execa's exit cleanup does not apply to a detached process,
 * the 'exit' hook and the keeper stop it. SIGINT is PostgreSQL's fast shutdown (open sessions are
 * ended, no waiting for clients); `kill()` sends it, then SIGKILL after 10 s.
 */
function spawnServer(
  bins: PgBinaries,
  dir: string,
  port: number,
  socketDir: string | null,
  log: LogSink,
  keeper: Keeper,
) {
  const args = ['-D', path.join(dir, 'data'), '-p', String(port)];
  for (const setting of SERVER_SETTINGS) args.push('-c', setting);
  args.push('-c', `unix_socket_directories=${socketDir ?? ''}`);
  const child = execa(path.join(bins.native, 'bin', 'postgres'), args, {
    cwd: dir,
    env: env(),
    detached: true,
    cleanup: false,
    stdin: 'ignore',
    buffer: false,
    reject: false,
    killSignal: 'SIGINT',
    forceKillAfterDelay: 10_000,
    ...bins.runAs,
  });
  child.catch(() => undefined);
  if (child.pid) {
    keeper.watch(child.pid);
    registerService(child.pid);
  }
  const exited = new Promise<void>((resolve) =>
    child.on('close', () => {
      if (child.pid) releaseService(child.pid);
      resolve();
    }),
  );
  const ready = new Promise<void>((resolve, reject) => {
    const tail: string[] = [];
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new StartFailure(false, `it was not ready after ${STARTUP_TIMEOUT_MS / 1000} s`));
    }, STARTUP_TIMEOUT_MS);
    const sink = (line: string) => {
      tail.push(line);
      log(line);
      if (line.includes(READY)) {
        clearTimeout(timer);
        resolve();
      }
    };
    forEachLine(child.stdout, sink);
    forEachLine(child.stderr, sink);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new StartFailure(false, error.message));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const text = tail.join('\n');
      const reason = tail.filter((line) => /FATAL|ERROR/.test(line)).pop() ?? `it exited with code ${code}`;
      reject(new StartFailure(/could not bind|Address already in use/i.test(text), reason));
    });
  });
  return { child, exited, ready };
}

type Server = ReturnType<typeof spawnServer>['child'];

function stopProcess(child: Server, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return exited;
  child.kill();
  return exited;
}

/** Keep our process free to exit: the 'exit' hook and the keeper stop the server then. */
function detachFromEventLoop(child: Server): void {
  child.unref();
  for (const stream of [child.stdout, child.stderr]) (stream as unknown as { unref?: () => void })?.unref?.();
}

async function startFresh(bins: PgBinaries, log: LogSink): Promise<Cluster> {
  // Started first: it removes what an interrupted first start was making, too.
  const keeper = startKeeper();
  let dir = '';
  let template: Template;
  const abandon = async () => {
    if (dir) await fs.rm(dir, { recursive: true, force: true });
    keeper.release();
  };
  try {
    template = await ensureTemplate(bins, log, keeper);
    const home = await serverHome();
    await sweepOrphans(home, SERVER_DIR_PREFIX);
    dir = await fs.mkdtemp(path.join(home, `${SERVER_DIR_PREFIX}${process.pid}-`));
    keeper.own(dir);
    await copyTree(template.data, path.join(dir, 'data'));
    if (bins.runAs) await chownTree(dir, bins.runAs);
  } catch (error) {
    await abandon();
    throw error;
  }
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const socketDir = socketFolder(dir, port);
    const { child, exited, ready } = spawnServer(bins, dir, port, socketDir, log, keeper);
    detachFromEventLoop(child);
    try {
      await ready;
    } catch (error) {
      await stopProcess(child, exited);
      if (error instanceof StartFailure && error.portTaken && attempt < 3) continue;
      await abandon();
      throw error;
    }
    const onExit = () => child.kill('SIGINT');
    process.on('exit', onExit);
    let stopping: Promise<void> | undefined;
    const stop = () => {
      process.off('exit', onExit);
      stopping ??= stopProcess(child, exited).then(abandon);
      return stopping;
    };
    return { port, password: template.password, socketDir, stop, exited };
  }
}

/** Start a fresh server: a copy of the template in a new temp dir, on a free port, watched by a keeper. */
export async function startCluster(bins: PgBinaries, log: LogSink): Promise<Cluster> {
  try {
    return await startFresh(bins, log);
  } catch (error) {
    if (error instanceof UserError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new UserError(
      `Could not start the embedded PostgreSQL server: ${reason}`,
      'Run `racelings doctor`; or set DATABASE_URL to a PostgreSQL server you can use.',
    );
  }
}
