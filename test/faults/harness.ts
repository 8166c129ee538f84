/**
 * What every fault case runs on: the built CLI as a black box, each process it starts marked in
 * its environment so that a census finds it and everything it started (graders, keepers, servers),
 * a TMPDIR of the suite's own so that server folders are counted exactly, and the faults a person
 * meets (a read-only folder, a full disk, a learner's own PostgreSQL) made for real. Linux only:
 * the census reads /proc.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { execa } from 'execa';
import pg from 'pg';

/** The repository: the first folder above this file with racelings' package.json (sources or .faults/). */
export const ROOT = (() => {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'racelings') return dir;
    if (path.dirname(dir) === dir) throw new Error('the faults suite runs inside the racelings repository');
  }
})();
export const BIN = path.join(ROOT, 'dist', 'bin.js');

/** What a case saw, and whether that is what it expected. */
export interface Observation {
  ok: boolean;
  observed: string;
}

export interface FaultCase {
  /** Unique, short: the table's first column and what `--only` matches. */
  id: string;
  /** What is done to racelings, in words. */
  fault: string;
  /** What must happen, in words. */
  expected: string;
  /** Part of the subset `npm test` runs (under a minute in all). */
  quick?: boolean;
  run(h: Harness): Promise<Observation>;
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** What is still there: marked processes, and server or staging folders in the suite's TMPDIRs. */
export interface Census {
  processes: number[];
  folders: string[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `done` every 100 ms for at most `ms`; resolves with its last answer. */
export async function until(done: () => boolean, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(100)) if (done()) return true;
  return done();
}

const proc = (pid: number, file: string) => {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return '';
  }
};
const pids = () =>
  readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number);

/** A process that has exited but was not reaped yet is gone for every purpose here. */
const zombie = (pid: number) => /^\S+ \(.*\) Z/.test(proc(pid, 'stat'));

/** Server folders and template clusters in the making, below `dir`. */
function serverFolders(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    // The suite's own server (for DATABASE_URL cases) is not racelings leaving something behind.
    if (name.startsWith('racelings-pg-') && !name.startsWith(`racelings-pg-${process.pid}-`))
      found.push(path.join(dir, name));
    if (name.startsWith('racelings-postgres-')) {
      for (const inner of readdirSync(path.join(dir, name))) {
        if (inner.startsWith('cluster-staging-')) found.push(path.join(dir, name, inner));
      }
    }
  }
  return found;
}

export class Harness {
  /** The suite's folder: workspaces, TMPDIRs; removed at the end. */
  readonly dir: string;
  /** `NAME=value` in the environment of every process the suite starts. */
  readonly mark: string;
  /** TMPDIRs handed to racelings: the shared one, and fresh ones for first starts. */
  private readonly tmps: string[] = [];
  private server: { url: string; stop: () => Promise<void> } | null = null;
  private count = 0;

  constructor() {
    this.dir = mkdtempSync(path.join(tmpdir(), 'racelings-faults-'));
    // As root, PostgreSQL runs as the postgres user, who must be able to pass through to TMPDIR.
    chmodSync(this.dir, 0o755);
    this.mark = `RACELINGS_FAULTS=${path.basename(this.dir)}`;
    this.tmps.push(this.freshTmp());
  }

  /** A new empty TMPDIR (no PostgreSQL template yet: the next server start is a first start). */
  freshTmp(): string {
    const dir = path.join(this.dir, `tmp-${this.tmps.length}`);
    mkdirSync(dir);
    this.tmps.push(dir);
    return dir;
  }

  /** The environment of a racelings process: marked, the suite's TMPDIR, no colour, no DATABASE_URL. */
  env(extra: Record<string, string> = {}): Record<string, string> {
    const { DATABASE_URL: _url, NO_COLOR: _color, ...inherited } = process.env;
    const [name, value] = this.mark.split('=') as [string, string];
    return {
      ...(inherited as Record<string, string>),
      TMPDIR: this.tmps[0]!,
      NO_COLOR: '1',
      [name]: value,
      ...extra,
    };
  }

  /** A new workspace, made with `racelings init`. */
  async workspace(): Promise<string> {
    const ws = path.join(this.dir, `ws-${++this.count}`);
    const made = await this.cli(['init', ws]);
    if (made.code !== 0) throw new Error(`init failed: ${made.stderr}`);
    return ws;
  }

  exerciseFile = (ws: string, id: string) => path.join(ws, 'exercises', id, `${id}.ts`);
  solution = (id: string) => readFileSync(path.join(ROOT, 'solutions', id, `${id}.ts`), 'utf8');
  broken = (id: string) => readFileSync(path.join(ROOT, 'exercises', id, `${id}.ts`), 'utf8');

  /** Run racelings to its end (killed after `timeoutMs`). */
  async cli(
    args: string[],
    options: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {},
  ): Promise<Run> {
    const started = Date.now();
    const result = await execa(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? this.dir,
      env: this.env(options.env),
      extendEnv: false,
      reject: false,
      stdin: 'ignore',
      timeout: options.timeoutMs ?? 120_000,
    });
    return {
      code: result.exitCode ?? null,
      stdout: result.stdout,
      stderr: result.stderr,
      ms: Date.now() - started,
    };
  }

  /** Start racelings and keep it running; its stdout is collected line by line, its stderr as text. */
  start(args: string[], options: { env?: Record<string, string> } = {}) {
    const child = execa(process.execPath, [BIN, ...args], {
      cwd: this.dir,
      env: this.env(options.env),
      extendEnv: false,
      reject: false,
      stdin: 'ignore',
      buffer: false,
    });
    const lines: string[] = [];
    const at: number[] = [];
    let pending = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      pending += chunk;
      const parts = pending.split('\n');
      pending = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        at.push(Date.now());
      }
    });
    // What it says to a person (a file gone, a fallback to manual mode): the last 8 kB.
    const said = { text: '' };
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      said.text = (said.text + chunk).slice(-8000);
    });
    return { child, lines, at, said, exited: child.then(() => undefined) };
  }

  /**
   * Start racelings in a terminal (tmux, 120×40); returns the pane's process and its screen. The
   * tmux socket lives in the suite's folder, so nothing of it outlives the suite.
   */
  async terminal(args: string[], options: { env?: Record<string, string> } = {}) {
    const socket = path.join(this.dir, `tmux-${++this.count}`);
    const tmux = (...words: string[]) => spawnSync('tmux', ['-S', socket, ...words], { encoding: 'utf8' });
    const env = Object.entries(this.env(options.env))
      .filter(([name]) => /^[A-Z_][A-Z0-9_]*$/i.test(name))
      .map(([name, value]) => `${name}=${shellQuote(value)}`);
    const command = `exec env -i ${env.join(' ')} ${shellQuote(process.execPath)} ${shellQuote(BIN)} ${args.map(shellQuote).join(' ')}`;
    tmux('new-session', '-d', '-s', 'racelings', '-x', '120', '-y', '40', command);
    return {
      pid: Number(tmux('display', '-p', '-t', 'racelings', '#{pane_pid}').stdout),
      screen: () => tmux('capture-pane', '-p', '-t', 'racelings').stdout,
      close: () => {
        tmux('kill-server');
        rmSync(socket, { force: true });
      },
    };
  }

  /** Marked processes still running, and server or staging folders still on disk. */
  census(): Census {
    const processes = pids().filter(
      (pid) => pid !== process.pid && !zombie(pid) && proc(pid, 'environ').split('\0').includes(this.mark),
    );
    return { processes, folders: this.tmps.flatMap(serverFolders) };
  }

  /** Waits until the census is empty, for at most `ms`; describes what is left ('' when nothing). */
  async leftover(ms = 15_000): Promise<string> {
    await until(() => {
      const { processes, folders } = this.census();
      return processes.length === 0 && folders.length === 0;
    }, ms);
    const { processes, folders } = this.census();
    const described = processes.map((pid) => proc(pid, 'cmdline').replaceAll('\0', ' ').trim().slice(0, 60));
    return [
      ...(described.length > 0 ? [`${described.length} processes left (${described.join('; ')})`] : []),
      ...(folders.length > 0
        ? [`${folders.length} folders left (${folders.map((f) => path.basename(f))})`]
        : []),
    ].join(', ');
  }

  /** Kill by pid whatever a case left running, so the next case starts clean. */
  killLeftovers(): void {
    for (const pid of this.census().processes) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Gone meanwhile.
      }
    }
  }

  /** Pid of the grader process of a marked racelings, once there is one. */
  graderPid(): number | undefined {
    return this.census().processes.find((pid) => proc(pid, 'cmdline').includes('grader/child.js'));
  }

  /** Whether a server folder exists below one of the suite's TMPDIRs (a server started, or is starting). */
  serverFolders(prefix: 'racelings-pg-' | 'cluster-staging-'): string[] {
    return this.census().folders.filter((folder) => path.basename(folder).startsWith(prefix));
  }

  /**
   * A learner's own PostgreSQL server for DATABASE_URL cases: racelings' embedded server, started
   * in this process (unmarked, so it is not counted as left behind) and stopped by `close()`.
   */
  async postgres(): Promise<{ url: string; sql: (text: string) => Promise<Record<string, unknown>[]> }> {
    if (!this.server) {
      process.env.TMPDIR = this.tmps[0];
      delete process.env.DATABASE_URL;
      const server = (await import(pathToFileURL(path.join(ROOT, 'dist/postgres/server.js')).href)) as {
        getPostgres(): Promise<{ url: string }>;
        stopPostgres(): Promise<void>;
      };
      this.server = { url: (await server.getPostgres()).url, stop: server.stopPostgres };
    }
    const { url } = this.server;
    return {
      url,
      sql: async (text) => {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          return (await client.query(text)).rows;
        } finally {
          await client.end();
        }
      },
    };
  }

  /**
   * Run `work` while `dir` refuses every write: `chattr +i` as root (root ignores mode bits), mode
   * 555 otherwise.
   */
  async readOnly<T>(dir: string, work: () => Promise<T>): Promise<T> {
    const root = process.getuid?.() === 0;
    if (root) spawnSync('chattr', ['+i', dir]);
    else chmodSync(dir, 0o555);
    try {
      return await work();
    } finally {
      if (root) spawnSync('chattr', ['-i', dir]);
      else chmodSync(dir, 0o755);
    }
  }

  /**
   * Run a shell `script` with `$FULL` a 2 MB tmpfs, in a mount namespace of its own (a user
   * namespace too when not root); `$RACELINGS` runs the CLI. What it prints is returned.
   */
  async smallDisk(script: string): Promise<string> {
    const mount = mkdtempSync(path.join(this.dir, 'full-'));
    const namespace = process.getuid?.() === 0 ? ['-m'] : ['-r', '-m'];
    const result = await execa(
      'unshare',
      [...namespace, 'sh', '-c', `mount -t tmpfs -o size=2m tmpfs "$FULL" || exit 97\n${script}`],
      {
        env: this.env({ FULL: mount, RACELINGS: `${shellQuote(process.execPath)} ${shellQuote(BIN)}` }),
        extendEnv: false,
        reject: false,
      },
    );
    if (result.exitCode === 97) throw new Error(`cannot mount a small tmpfs here: ${result.stderr}`);
    return `${result.stdout}\n${result.stderr}`;
  }

  /** Stop the learner's server (checking it holds no racelings database first) and remove the suite's folder. */
  async close(): Promise<string> {
    let databases = '';
    if (this.server) {
      const { sql } = await this.postgres();
      const rows = await sql("SELECT datname FROM pg_database WHERE datname LIKE 'racelings\\_%'");
      if (rows.length > 0) databases = `${rows.length} racelings databases left on the DATABASE_URL server`;
      await this.server.stop();
      this.server = null;
    }
    rmSync(this.dir, { recursive: true, force: true });
    return databases;
  }
}

/** A word as a POSIX shell reads it back. */
export function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`;
}
