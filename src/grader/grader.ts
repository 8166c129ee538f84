import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from '../processes/execa.js';
import { descendants, killAll, residentMemoryMb } from '../processes/tree.js';
import type { Compiled } from '../sandbox/compile.js';
import type { Compilation } from './compiling.js';
import { type Known, type Move, nothingKnown, type PlayPosition, unplayable } from './position.js';
import type {
  CompiledMessage,
  GradeRequest,
  GraderMessage,
  GraderRequest,
  ParentMessage,
} from './protocol.js';
import { compileWorker } from './thread.js';
import { compileError, contained, errorMessage, type Verdict } from './verdict.js';

/** Learner code that holds the grader this long without a heartbeat is taken for an endless loop. */
export const LOOP_TIMEOUT_MS = 3000;
/** Loading the compiler and type-checking, cold, on a slow machine. */
const COMPILE_TIMEOUT_MS = 60_000;
/**
 * A whole grading, however busy the grader stays meanwhile (heartbeats only catch a blocked event
 * loop): slow learner code such as a busy-wait, or setup that never ends.
 */
export const GRADING_DEADLINE_MS = 60_000;
/** The grader's V8 heap: past it, code that allocates without end is stopped and named as such. */
export const HEAP_LIMIT_MB = 1024;
/**
 * A grader that grew this much since its last heartbeat when the watchdog stopped it was
 * allocating, not merely looping: near its heap limit V8 collects garbage for seconds before it
 * gives up, so the watchdog usually comes first. A plain endless loop grows by a few MB at most
 * (measured: 7); on a machine so loaded that the loop got little CPU in its 3 s, an allocation
 * without end grew by 60, so the line sits well below that.
 */
export const MEMORY_GROWTH_MB = 32;
/**
 * What the compile thread may add to that while the type check runs beside the exploring (measured:
 * 22 MB for the counter, the standard library's declarations most of it): not the learner's.
 */
export const TYPECHECK_GROWTH_MB = 32;
/** How long a closing grader may take to release its databases before its group is killed. */
const CLOSE_GRACE_MS = 3000;
const memoryReason = (how: string) =>
  `your code ${how} — a list or map that grows without end? The checker stopped it.`;

/**
 * V8's background threads in the grader process (concurrent garbage collection, optimising
 * compiles): half the machine's cores, at least one. V8's default of four fights, on a small
 * machine, with what the parent does while the grader starts (its compile thread, the native type
 * check): on 2 cores a cold check of an edited file took ~60 ms longer with four (Node 20, medians
 * of 8-10 interleaved runs), and one of an unchanged file as much.
 */
const V8_POOL_SIZE = Math.max(1, Math.floor(availableParallelism() / 2));

/** The compiled grader process: beside this module in dist/, or dist/ when running from sources. */
function childScript(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const sibling = path.join(here, 'child.js');
  return existsSync(sibling) ? sibling : path.resolve(here, '../../dist/grader/child.js');
}

/**
 * The grader process, through execa: its own process group (detached), so that a runaway is
 * killed with everything it started in that group; IPC for requests and verdicts; stderr kept for
 * V8's out-of-memory report. execa's exit cleanup does not apply to a detached process: the child
 * dies with us by itself (child.ts), even when we are killed with SIGKILL.
 */
function spawnGrader() {
  const flags = [`--max-old-space-size=${HEAP_LIMIT_MB}`, `--v8-pool-size=${V8_POOL_SIZE}`];
  return execa(process.execPath, [...flags, childScript()], {
    detached: true,
    ipc: true,
    serialization: 'json',
    stdin: 'ignore',
    stdout: 'ignore',
    stderr: 'pipe',
    buffer: false,
    reject: false,
    cleanup: false,
    env: { FORCE_COLOR: '0' },
  });
}

type GraderProcess = ReturnType<typeof spawnGrader>;

/** How long a dead grader's stderr may take to be read to its end (a stray may hold it open). */
const STDERR_DRAIN_MS = 500;

/** Resolves when `stream` has been read to its end, or after `ms`, whichever comes first. */
function drained(stream: NodeJS.ReadableStream & { readableEnded?: boolean }, ms: number): Promise<void> {
  if (stream.readableEnded) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    stream.once('end', done);
    stream.once('close', done);
  });
}

export interface GradeInput {
  exercise: string;
  file: string;
  shownAs: string;
  replay?: string;
}

/** A position of `racelings play` to compute, or the exploration of its workload. */
export interface PlayInput {
  exercise: string;
  file: string;
  shownAs: string;
  /** Index into the check's examples. */
  workload: number;
  moves: Move[];
}

export interface GraderOptions {
  /** Overrides GRADING_DEADLINE_MS (tests). */
  deadlineMs?: number;
}

interface Pending {
  request: GraderRequest;
  /** Takes the final message of the request (a verdict, a position, what is known); false when it is not one. */
  answer: (message: GraderMessage) => boolean;
  /**
   * The process had to be stopped (an endless loop, a crash): answer with the reason, and whether
   * the code ran before its type check was known to pass.
   */
  stopped: (reason: string, durationMs: number, typeUnknown: boolean) => void;
  /** The code runs while its type check goes on ('exploring' said so, 'typed' not yet). */
  typeUnknown: boolean;
  started: number;
  /** The watchdog: compile time, then the time since the last heartbeat. */
  timer: NodeJS.Timeout;
  deadline: NodeJS.Timeout;
  /** The grader's resident memory (MB) at its last heartbeat. */
  memory: number | null;
}

type Runaway = 'compiling' | 'exploring' | 'deadline';

/**
 * A grader process in its own process group, kept warm across gradings. One grading at a time;
 * a runaway is killed with its whole group and the next grading starts a fresh process. After
 * each grading, processes that learner code left running below the grader are killed.
 */
export class Grader {
  private child: GraderProcess | null = null;
  private pending: Pending | null = null;
  private nextId = 1;
  private queue: Promise<unknown> = Promise.resolve();
  /** Servers the grader process keeps on purpose, with everything below them. */
  private services = new Set<number>();
  /** The end of the grader's stderr: V8 says there when it ran out of memory. */
  private stderrTail = '';
  private closing: Promise<void> = Promise.resolve();

  constructor(private readonly options: GraderOptions = {}) {}

  async grade(input: GradeInput): Promise<Verdict> {
    // This process's type check of the content graded (null: it could not compile it).
    let typeChecked: Promise<Compiled | null> = Promise.resolve(null);
    const outcome = await this.enqueue<{ verdict: Verdict; typeUnknown: boolean }>(
      async () => {
        const ahead = await compiledAhead({ type: 'grade', requestId: 0, ...input });
        typeChecked = ahead.compilation?.done.catch(() => null) ?? typeChecked;
        return ahead;
      },
      (message) =>
        message.type === 'verdict' ? { verdict: message.verdict, typeUnknown: false } : undefined,
      (reason, durationMs, typeUnknown) => ({
        verdict: contained({ id: input.exercise, durationMs }, reason),
        typeUnknown,
      }),
    );
    if (!outcome.typeUnknown) return outcome.verdict;
    // Stopped (an endless loop, a crash) while its type check ran beside the exploring: a type
    // error is the verdict, as when the type check came first (none known: the verdict stands).
    const compiled = await typeChecked;
    const diagnostics = compiled?.code === null ? compiled.diagnostics : [];
    if (diagnostics.length === 0) return outcome.verdict;
    return compileError({ id: input.exercise, durationMs: outcome.verdict.durationMs }, diagnostics);
  }

  /** The position `input.moves` lead to (see grader/play.ts); a runaway becomes the position's problem. */
  play(input: PlayInput): Promise<PlayPosition> {
    return this.enqueue<PlayPosition>(
      { type: 'play', requestId: 0, ask: 'position', ...input },
      (message) => (message.type === 'position' ? message.position : undefined),
      (reason) => unplayable(input.exercise, { index: input.workload, count: 0, text: '' }, '', reason),
    );
  }

  /** What the explorer finds in the workload played: its shortest failing schedule, or what it proved. */
  explore(input: Omit<PlayInput, 'moves'>): Promise<Known> {
    return this.enqueue<Known>(
      { type: 'play', requestId: 0, ask: 'explore', moves: [], ...input },
      (message) => (message.type === 'known' ? message.known : undefined),
      nothingKnown,
    );
  }

  /** A schedule that breaks the code from where `input.moves` lead (as moves from the start), for a hint. */
  lead(input: PlayInput): Promise<Known> {
    return this.enqueue<Known>(
      { type: 'play', requestId: 0, ask: 'lead', ...input },
      (message) => (message.type === 'known' ? message.known : undefined),
      nothingKnown,
    );
  }

  /**
   * One request at a time; the next starts once this one's strays are gone. A request made when
   * its turn comes (a grading reads the file then) may come with code to follow it (Ahead).
   */
  private enqueue<T>(
    request: GraderRequest | (() => Promise<Ahead>),
    pick: (message: GraderMessage) => T | undefined,
    stopped: (reason: string, durationMs: number, typeUnknown: boolean) => T,
  ): Promise<T> {
    const result = this.queue.then(async () => {
      if (typeof request !== 'function') return this.send(request, pick, stopped);
      const ahead = await request();
      return this.send(ahead.request, pick, stopped, ahead.compilation);
    });
    this.queue = result.then(() => this.reapStrays()).catch(() => {});
    return result;
  }

  /** The grader process's pid, while one runs. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /**
   * Start the grader process ahead of the first grading, so that one is fast too, and this
   * process's compile thread, which compiles for it (see compiledAhead).
   */
  warm(): void {
    this.ensureChild();
    // The thread first (it loads nothing), then the code that sends it work, while the grader boots.
    compileWorker();
    void import('./compiling.js').then(({ compileThread }) => compileThread()).catch(() => {});
  }

  /**
   * Stop the grader process: strays first, then the process is asked to release what it holds
   * and exit; its whole group is killed after it exits, or after CLOSE_GRACE_MS. Resolves when it
   * is gone. A grading under way resolves as stopped.
   */
  close(): Promise<void> {
    const child = this.child;
    // A second close (the session's, then the command's) waits for the first.
    if (!child) return this.closing;
    this.child = null;
    this.closing = this.stop(child);
    return this.closing;
  }

  private async stop(child: GraderProcess): Promise<void> {
    this.settle('the grader was closed before this grading finished', true);
    const exited = new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once('exit', () => resolve());
    });
    await this.reapStrays(child);
    if (child.connected) child.send({ type: 'close' } satisfies ParentMessage, () => {});
    const force = setTimeout(() => killGroup(child), CLOSE_GRACE_MS);
    await exited;
    clearTimeout(force);
    killGroup(child);
  }

  private send<T>(
    request: GraderRequest,
    pick: (message: GraderMessage) => T | undefined,
    stopped: (reason: string, durationMs: number, typeUnknown: boolean) => T,
    compilation: Compilation | null = null,
  ): Promise<T> {
    const child = this.ensureChild();
    const sent = { ...request, requestId: this.nextId++ };
    // News of the compilation follows the request as it comes; a grader process replaced meanwhile needs none.
    const tell = (news: Omit<CompiledMessage, 'type' | 'requestId'>) => {
      if (this.child === child && child.connected)
        child.send(
          { type: 'compiled', requestId: sent.requestId, ...news } satisfies ParentMessage,
          () => {},
        );
    };
    const failed = (error: unknown) => tell({ error: errorMessage(error) });
    compilation?.first.then((first) => {
      tell({ first });
      compilation.done.then((done) => tell({ done }), failed);
    }, failed);
    return new Promise<T>((resolve) => {
      const pending: Pending = {
        request: sent,
        answer: (message) => {
          const value = pick(message);
          if (value === undefined) return false;
          resolve(value);
          return true;
        },
        stopped: (reason, durationMs, typeUnknown) => resolve(stopped(reason, durationMs, typeUnknown)),
        typeUnknown: false,
        started: performance.now(),
        memory: null,
        timer: setTimeout(() => void this.runaway('compiling'), COMPILE_TIMEOUT_MS),
        deadline: setTimeout(
          () => void this.runaway('deadline'),
          this.options.deadlineMs ?? GRADING_DEADLINE_MS,
        ),
      };
      this.pending = pending;
      child.send(sent satisfies ParentMessage, (error) => {
        if (error) this.settle(`could not reach the grader process: ${error.message}`);
      });
    });
  }

  private ensureChild(): GraderProcess {
    if (this.child) return this.child;
    const child = spawnGrader();
    this.stderrTail = '';
    this.services = new Set();
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-4000);
    });
    // A process left behind that inherited this pipe must not keep racelings from exiting.
    (child.stderr as unknown as { unref?: () => void }).unref?.();
    child.on('message', (message: GraderMessage) => this.onMessage(message));
    child.on('exit', (code, signal) => {
      if (this.child !== child) return;
      this.child = null;
      killGroup(child);
      // 'exit' can come before the last of stderr is read, and V8's out-of-memory report is there.
      void drained(child.stderr, STDERR_DRAIN_MS).then(() => this.settle(this.exitReason(code, signal)));
    });
    // A grader that cannot start at all reports through 'exit' too; execa's result is not needed.
    child.catch(() => {});
    this.child = child;
    return child;
  }

  private exitReason(code: number | null, signal: NodeJS.Signals | null): string {
    if (/heap out of memory|Reached heap limit/.test(this.stderrTail)) {
      return memoryReason(`used more than ${HEAP_LIMIT_MB} MB of memory`);
    }
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    return `the grader process ${how} while running your code (process.exit, process.kill or a crash?); the next grading starts a new one`;
  }

  private onMessage(message: GraderMessage): void {
    if (message.type === 'services') {
      this.services = new Set(message.pids);
      return;
    }
    const pending = this.pending;
    if (!pending || message.requestId !== pending.request.requestId) return;
    if (message.type === 'typed') {
      pending.typeUnknown = false;
      return;
    }
    clearTimeout(pending.timer);
    if (message.type !== 'exploring' && message.type !== 'heartbeat') {
      this.pending = null;
      clearTimeout(pending.deadline);
      pending.answer(message);
      return;
    }
    if (message.type === 'exploring') pending.typeUnknown = !message.typeChecked;
    pending.timer = setTimeout(() => void this.runaway('exploring'), LOOP_TIMEOUT_MS);
    const pid = this.child?.pid;
    if (pid) void residentMemoryMb(pid).then((mb) => (pending.memory = mb));
  }

  private async runaway(phase: Runaway): Promise<void> {
    const child = this.child;
    if (!child?.pid || !this.pending) return;
    this.child = null;
    const before = this.pending.memory;
    const now = phase === 'exploring' ? await residentMemoryMb(child.pid) : null;
    const grew = before !== null && now !== null ? Math.round(now - before) : 0;
    const threshold = MEMORY_GROWTH_MB + (this.pending.typeUnknown ? TYPECHECK_GROWTH_MB : 0);
    const reason = {
      exploring:
        grew >= threshold
          ? memoryReason(
              `kept allocating memory without giving control back (${grew} MB more in ${LOOP_TIMEOUT_MS / 1000} s)`,
            )
          : `your code ran for more than ${LOOP_TIMEOUT_MS / 1000} s without giving control back — an endless loop? The checker stopped it.`,
      compiling: 'the grader did not finish compiling in time; try again, or run racelings doctor',
      deadline: `grading took more than ${Math.round((this.options.deadlineMs ?? GRADING_DEADLINE_MS) / 1000)} s and was stopped — very slow code (a busy-wait?), or a database that does not answer; run racelings doctor if it happens again`,
    }[phase];
    this.settle(reason);
    await this.reapStrays(child);
    killGroup(child);
  }

  /** End the request under way with `reason`; `closing`: its type check is not waited for (nobody reads the verdict). */
  private settle(reason: string, closing = false): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = null;
    clearTimeout(pending.timer);
    clearTimeout(pending.deadline);
    pending.stopped(reason, performance.now() - pending.started, pending.typeUnknown && !closing);
  }

  /** Kill what learner code left running below the grader process, keeping its servers. */
  private async reapStrays(child = this.child): Promise<void> {
    if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
    killAll(await descendants(child.pid, this.services).catch(() => []));
  }
}

/** A request to send, and this process's compilation of its file (null: the grader process compiles). */
interface Ahead {
  request: GraderRequest;
  compilation: Compilation | null;
}

/**
 * A grade request with the file's content, and its compilation in this process (see
 * grader/compiling.ts): on a compile thread that boots while the grader process does, and with the
 * native check's execa loaded here already. A file that cannot be read goes as it is: the grader
 * process reads it and says what is wrong.
 */
async function compiledAhead(request: GradeRequest): Promise<Ahead> {
  let source: string;
  try {
    source = await readFile(request.file, 'utf8');
  } catch {
    return { request, compilation: null };
  }
  try {
    const { compileOnThread } = await import('./compiling.js');
    const compilation = compileOnThread(request.file, source, request.shownAs);
    return { request: { ...request, source, ahead: true }, compilation };
  } catch {
    // Compiling cannot even start here: the grader process compiles, as it would anyway.
    return { request: { ...request, source }, compilation: null };
  }
}

/** SIGKILL the grader's whole process group: learner code that loops, and what it started there. */
function killGroup(child: GraderProcess): void {
  if (!child.pid) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}
