import { thousands } from '../explorer/format.js';
import type { TaskOutcome } from '../explorer/scenario.js';
import { shortName } from '../explorer/stuck.js';
import type { SharedArraySpec } from '../workers/memory.js';
import type { CallArgument } from '../workers/protocol.js';
import { Kind } from '../workers/protocol.js';
import type { StressSpec } from '../workers/stress.js';
import type { Access, Threads } from '../workers/threads.js';

/**
 * The workers tier of a check: the learner's module runs on worker threads over shared memory.
 * The deterministic layer (the check's scenarios, explored step by step) is the only source of a
 * pass; the stress layer runs the same code on real cores and can only add evidence of a bug.
 */
export interface ThreadsSpec {
  /** The shared arrays the learner's functions get, by name. */
  arrays: SharedArraySpec[];
  /** The most threads one workload runs. */
  threads: number;
  stress: StressSpec;
}

/** One of the check's shared arrays, as a call's argument. */
export const shared = (name: string): CallArgument => ({ shared: name });
/** A plain value, as a call's argument. */
export const value = (v: unknown): CallArgument => ({ value: v });

/** What to do about a livelock between threads (the explorer names who spins on what). */
export const THREADS_LIVELOCK =
  'Spinning never ends here: the thread it waits for has finished, or waits too. Make every path release what it took, and sleep in Atomics.wait until the holder wakes you with Atomics.notify.';

const n = thousands;

export { n as count };

/** A call that threw, named: "t2's transfer threw RangeError: …", or null when none did. */
export function threw(outcomes: readonly TaskOutcome[]): string | null {
  const task = outcomes.findIndex((o) => o.status === 'rejected');
  if (task < 0) return null;
  const error = outcomes[task]!.error;
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return `${shortName(outcomes, task)} threw ${text}; the functions must return normally on every path.`;
}

const WRITES = new Set<number>([
  Kind.WRITE,
  Kind.STORE,
  Kind.ADD,
  Kind.SUB,
  Kind.AND,
  Kind.OR,
  Kind.XOR,
  Kind.EXCHANGE,
  Kind.COMPARE_EXCHANGE,
]);
/** Accesses that answer the value the word held: a thread learns from them whether a lock is free. */
const LOOKS = new Set<number>([
  Kind.READ,
  Kind.LOAD,
  Kind.ADD,
  Kind.SUB,
  Kind.AND,
  Kind.OR,
  Kind.XOR,
  Kind.EXCHANGE,
  Kind.COMPARE_EXCHANGE,
]);

/** Did the access (try to) write? A compare-exchange writes only when it found what it expected. */
const wrote = (a: Access) =>
  a.array === '' || (WRITES.has(a.kind) && a.before !== a.after) || a.kind === Kind.WRITE;

/**
 * Mutual exclusion, from the run's accesses: the words `array[from … to-1]` may be touched by one
 * call at a time, from its first access of them to its last. The first violation, in words, with
 * the timeline's step numbers; null when every call had them to itself. An access the checker
 * could not see through (it may touch anything) counts as an access of them.
 */
export function insideAtOnce(
  threads: Threads,
  outcomes: readonly TaskOutcome[],
  array: string,
  from: number,
  to: number,
  what: string,
): string | null {
  const guarded = (a: Access) => a.array === '' || (a.array === array && a.index >= from && a.index < to);
  const spans = new Map<string, { task: number; first: number; last: number }>();
  for (const a of threads.accesses) {
    if (!guarded(a)) continue;
    const key = `${a.task}:${a.call}`;
    const span = spans.get(key);
    if (span) span.last = a.event;
    else spans.set(key, { task: a.task, first: a.event, last: a.event });
  }
  for (const a of threads.accesses) {
    if (!guarded(a)) continue;
    for (const span of spans.values()) {
      if (span.task === a.task || a.event <= span.first || a.event >= span.last) continue;
      const access =
        a.array === '' ? 'touched the shared memory' : `${wrote(a) ? 'wrote' : 'read'} ${array}[${a.index}]`;
      return `two threads were inside ${what} at once: ${shortName(outcomes, a.task)} ${access} at step ${a.event + 1}, while ${shortName(outcomes, span.task)} was between its first and last access of them (steps ${span.first + 1}–${span.last + 1}).`;
    }
  }
  return null;
}

/**
 * Burning the core, from the run's accesses of a lock word (0 = free, anything else = held): a
 * thread that found the lock held must not look at it again — a read, a load, a failed
 * compare-exchange, an exchange that changes nothing — until it has slept in Atomics.wait or the
 * word has changed. The first thread that did, in words; null when none did.
 */
export function spins(
  threads: Threads,
  outcomes: readonly TaskOutcome[],
  array: string,
  index: number,
): string | null {
  const sawHeld = new Map<number, Access>();
  for (const a of threads.accesses) {
    if (a.array !== array || a.index !== index) continue;
    if (a.kind === Kind.WAIT) {
      sawHeld.delete(a.task);
      continue;
    }
    const changed = a.before !== a.after;
    const held = a.before !== 0 && a.before !== 0n && a.before !== null;
    if (LOOKS.has(a.kind) && held && !changed) {
      const before = sawHeld.get(a.task);
      if (before) {
        return `${shortName(outcomes, a.task)} found the lock held at step ${before.event + 1} and looked again at step ${a.event + 1} without sleeping, though nothing had changed it: a waiting thread that spins burns its core. Sleep in Atomics.wait(${array}, ${index}, …) until the holder's Atomics.notify wakes you.`;
      }
      sawHeld.set(a.task, a);
    }
    if (changed) sawHeld.clear();
  }
  return null;
}
