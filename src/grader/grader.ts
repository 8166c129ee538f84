import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Known, type Move, type PlayPosition, unplayable } from './position.js';
import type { GraderMessage, GraderRequest } from './protocol.js';
import type { Verdict } from './verdict.js';
import { contained } from './verdicts.js';

/** Learner code that holds the grader this long without a heartbeat is taken for an endless loop. */
export const LOOP_TIMEOUT_MS = 3000;
/** Loading the compiler and type-checking, cold, on a slow machine. */
const COMPILE_TIMEOUT_MS = 60_000;

/** The compiled grader process: beside this module in dist/, or dist/ when running from sources. */
function childScript(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const sibling = path.join(here, 'child.js');
  return existsSync(sibling) ? sibling : path.resolve(here, '../../dist/grader/child.js');
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

interface Pending {
  request: GraderRequest;
  /** Takes the final message of the request (a verdict, a position, what is known); false when it is not one. */
  answer: (message: GraderMessage) => boolean;
  /** The process had to be stopped (an endless loop, a crash): answer with the reason. */
  stopped: (reason: string, durationMs: number) => void;
  started: number;
  timer: NodeJS.Timeout;
}

/**
 * A grader process in its own process group, kept warm across gradings. One grading at a time;
 * a runaway is killed with its whole group and the next grading starts a fresh process.
 */
export class Grader {
  private child: ChildProcess | null = null;
  private pending: Pending | null = null;
  private nextId = 1;
  private queue: Promise<unknown> = Promise.resolve();

  grade(input: GradeInput): Promise<Verdict> {
    return this.enqueue<Verdict>(
      { type: 'grade', requestId: 0, ...input },
      (message) => (message.type === 'verdict' ? message.verdict : undefined),
      (reason, durationMs) => contained({ id: input.exercise, durationMs }, reason),
    );
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
      (reason) => ({
        shortest: null,
        failure: null,
        exhaustive: false,
        interleavings: 0,
        explored: 'nothing',
        problem: reason,
      }),
    );
  }

  /** A schedule that breaks the code from where `input.moves` lead (as moves from the start), for a hint. */
  lead(input: PlayInput): Promise<Known> {
    return this.enqueue<Known>(
      { type: 'play', requestId: 0, ask: 'lead', ...input },
      (message) => (message.type === 'known' ? message.known : undefined),
      (reason) => ({
        shortest: null,
        failure: null,
        exhaustive: false,
        interleavings: 0,
        explored: 'nothing',
        problem: reason,
      }),
    );
  }

  private enqueue<T>(
    request: GraderRequest,
    pick: (message: GraderMessage) => T | undefined,
    stopped: (reason: string, durationMs: number) => T,
  ): Promise<T> {
    const result = this.queue.then(() => this.send(request, pick, stopped));
    this.queue = result.catch(() => {});
    return result;
  }

  /** The grader process's pid, while one runs. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Start the grader process ahead of the first grading, so that one is fast too. */
  warm(): void {
    this.ensureChild();
  }

  close(): void {
    this.kill();
  }

  private send<T>(
    request: GraderRequest,
    pick: (message: GraderMessage) => T | undefined,
    stopped: (reason: string, durationMs: number) => T,
  ): Promise<T> {
    const child = this.ensureChild();
    const sent = { ...request, requestId: this.nextId++ };
    return new Promise<T>((resolve) => {
      const pending: Pending = {
        request: sent,
        answer: (message) => {
          const value = pick(message);
          if (value === undefined) return false;
          resolve(value);
          return true;
        },
        stopped: (reason, durationMs) => resolve(stopped(reason, durationMs)),
        started: performance.now(),
        timer: setTimeout(() => this.runaway('compiling'), COMPILE_TIMEOUT_MS),
      };
      this.pending = pending;
      child.send(sent);
    });
  }

  private ensureChild(): ChildProcess {
    if (this.child) return this.child;
    const child = spawn(process.execPath, [childScript()], {
      detached: true,
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
      env: { ...process.env, FORCE_COLOR: '0' },
    });
    child.on('message', (message: GraderMessage) => this.onMessage(message));
    child.on('exit', (code, signal) => {
      if (this.child !== child) return;
      this.child = null;
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      this.settle(
        `the grader process ${how} while running your code (process.exit, process.kill or a crash?); it has been restarted`,
      );
    });
    child.on('error', () => {});
    this.child = child;
    return child;
  }

  private onMessage(message: GraderMessage): void {
    const pending = this.pending;
    if (!pending || message.requestId !== pending.request.requestId) return;
    clearTimeout(pending.timer);
    if (message.type !== 'exploring' && message.type !== 'heartbeat') {
      this.pending = null;
      pending.answer(message);
      return;
    }
    pending.timer = setTimeout(() => this.runaway('exploring'), LOOP_TIMEOUT_MS);
  }

  private runaway(phase: 'compiling' | 'exploring'): void {
    this.kill();
    this.settle(
      phase === 'exploring'
        ? `your code ran for more than ${LOOP_TIMEOUT_MS / 1000} s without giving control back — an endless loop? The checker stopped it.`
        : 'the grader did not finish compiling in time; try again, or run racelings doctor',
    );
  }

  private settle(reason: string): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = null;
    clearTimeout(pending.timer);
    pending.stopped(reason, performance.now() - pending.started);
  }

  private kill(): void {
    // A grading cut short must not keep its timer (and so the process) alive.
    if (this.pending) clearTimeout(this.pending.timer);
    const child = this.child;
    this.child = null;
    if (!child?.pid) return;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}
