import { type Failure, MAX_STEPS } from './failure.js';
import { operationText } from './format.js';
import type { TaskOutcome } from './scenario.js';
import { shortName } from './stuck.js';
import type { Event, PendingOp } from './world.js';

const TRANSACTION_CONTROL = /^(BEGIN|START|COMMIT|END|ROLLBACK|ABORT|SAVEPOINT|RELEASE|SET)\b/i;

/**
 * Fair scheduling (every ready task eventually runs). A task that repeats an operation and gets an
 * answer it already had is polling: it may poll a couple of times in a row, then yields to the
 * tasks that are doing something else until one of them moves. Without this, a search keeps choosing
 * the poller and takes a correct busy-wait for an endless loop; with it, a poll loop that nothing
 * can end still runs to the step limit, and is named a livelock. (Fair stateless model checking
 * excludes only infinite unfair runs: Musuvathi and Qadeer, PLDI 2008; the short unfair prefixes
 * kept here let a bounded poller run out of attempts.)
 */
export class Fairness {
  /** Polls a task may make in a row while another task could move. */
  private static readonly CREDIT = 2;
  private readonly streak = new Map<number, Set<string>>();
  private readonly polling = new Set<number>();
  private readonly credit = new Map<number, number>();
  /** Per task: how many of its operations repeated an earlier one with the same answer. */
  private readonly repeats = new Map<number, { count: number; what: string }>();
  polls = 0;

  released(task: number, op: PendingOp, events: readonly Event[]): void {
    // A retried transaction begins and ends the same way each time: that is not polling.
    if (TRANSACTION_CONTROL.test(op.name)) return;
    let result = '';
    if (op.due === undefined) {
      for (let i = events.length - 1; i >= 0; i--) {
        if (events[i]!.task === task) {
          result = events[i]!.result;
          break;
        }
      }
    }
    const what = operationText(op.name, op.args);
    const signature = `${what} ${result}`;
    const streak = this.streak.get(task) ?? new Set<string>();
    this.streak.set(task, streak);
    if (!streak.has(signature)) {
      streak.add(signature);
      this.polling.delete(task);
      return;
    }
    this.polling.add(task);
    // The note on a pass is about busy-waiting in memory; a retried statement re-reads by design.
    if (!op.remote) this.polls++;
    const entry = this.repeats.get(task) ?? { count: 0, what };
    entry.count++;
    entry.what = what;
    this.repeats.set(task, entry);
  }

  /** `task` took a step: a step that was not a poll gives every poller its credit back. */
  stepped(task: number): void {
    if (!this.polling.has(task)) {
      for (const other of this.credit.keys()) this.credit.set(other, Fairness.CREDIT);
      return;
    }
    this.credit.set(task, (this.credit.get(task) ?? Fairness.CREDIT) - 1);
  }

  /** Every task that could move is polling: each gets its credit back, so they take turns. */
  newRound(): void {
    for (const other of this.credit.keys()) this.credit.set(other, Fairness.CREDIT);
  }

  isSpinning(task: number): boolean {
    return this.polling.has(task) && (this.credit.get(task) ?? Fairness.CREDIT) <= 0;
  }

  /** Why a fair schedule ran out of steps: a livelock of pollers, or a loop that never ends. */
  verdict(outcomes: readonly TaskOutcome[], endless?: string, advice?: string): Failure {
    if (endless) return { kind: 'steps', message: `${endless} (still running after ${MAX_STEPS} steps).` };
    const pollers = [...this.repeats]
      .filter(([, r]) => r.count >= 10)
      .sort((a, b) => b[1].count - a[1].count);
    if (pollers.length === 0) {
      return {
        kind: 'steps',
        message: `the tasks were still running after ${MAX_STEPS} steps: does something loop forever?`,
      };
    }
    const said = pollers.map(
      ([task, r]) => `${shortName(outcomes, task)} repeated ${r.what} ${r.count} times`,
    );
    return {
      kind: 'livelock',
      message: `${said.join(', ')}, getting the same answer, and nothing else could make progress in ${MAX_STEPS} steps of a fair schedule: a livelock. ${advice ?? 'Waiting by polling never ends here — wait on a promise that the task you wait for resolves.'}`,
    };
  }
}
