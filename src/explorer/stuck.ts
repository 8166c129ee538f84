import type { Failure } from './failure.js';
import type { TaskOutcome } from './scenario.js';
import { BACKGROUND, type LockState, type World } from './world.js';

/** "t1" from "t1 transfer(a, b, 30)". */
export function shortName(outcomes: readonly TaskOutcome[], task: number | null): string {
  if (task === null || task === BACKGROUND) return 'background work';
  return outcomes[task]?.label.split(' ')[0] ?? `t${task + 1}`;
}

/**
 * Nothing can move: say why. A cycle of lock waits is a deadlock; a lock held by a finished task is
 * a leak; a task waiting on nothing the explorer controls is stuck — never a pass.
 */
export function describeStuck(world: World, outcomes: readonly TaskOutcome[]): Failure | null {
  const name = (task: number | null) => shortName(outcomes, task);
  const running = outcomes.flatMap((outcome, task) => (outcome.status === 'running' ? [task] : []));
  const pending = [...world.pending.values()];
  const waitsFor = (task: number): LockState | undefined =>
    pending.find((op) => op.task === task && op.lock && op.lock.holder !== null)?.lock;

  for (const start of running) {
    const path: number[] = [];
    let task: number | null = start;
    let lock = waitsFor(start);
    while (lock && task !== null && !path.includes(task)) {
      path.push(task);
      task = lock.holder;
      lock = task === null ? undefined : waitsFor(task);
    }
    if (task === null || !path.includes(task)) continue;
    const cycle = path.slice(path.indexOf(task));
    if (cycle.length === 1) {
      const lock = waitsFor(task)!;
      return {
        kind: 'deadlock',
        message: `${name(task)} waits for ${lock.name}, which it already holds — these locks are not reentrant.`,
      };
    }
    const links = cycle.map((t) => {
      const held = world.locks.filter((lock) => lock.holder === t).map((lock) => lock.name);
      return `${name(t)} holds ${held.join(' and ')} and waits for ${waitsFor(t)!.name}`;
    });
    return { kind: 'deadlock', message: `${links.join('; ')}.` };
  }

  for (const task of running) {
    const lock = waitsFor(task);
    if (lock && lock.holder !== null && outcomes[lock.holder]?.status !== 'running') {
      return {
        kind: 'leak',
        message: `${name(task)} waits forever for ${lock.name}, still held by ${name(lock.holder)}, which finished without releasing it.`,
      };
    }
    const remote = pending.find((op) => op.task === task && op.blockedOn !== null);
    if (remote) {
      return {
        kind: 'deadlock',
        message: `${name(task)} waits forever on the database: ${remote.name} waits for ${remote.blockedOn}.`,
      };
    }
    const held = pending.find((op) => op.task === task && op.heldBack() !== null);
    if (held) return { kind: 'stuck', message: held.heldBack()! };
  }

  const idle = running.find((task) => !pending.some((op) => op.task === task));
  if (idle !== undefined) {
    return {
      kind: 'stuck',
      message: `${name(idle)} never finished: it waits on a promise that nothing will resolve — no operation of the checker is pending for it.`,
    };
  }
  if (running.length > 0) {
    return { kind: 'stuck', message: `${name(running[0]!)} never finished.` };
  }

  const leaked = world.locks.find((lock) => lock.holder !== null);
  if (leaked) {
    return {
      kind: 'leak',
      message: `${leaked.name} is still held by ${name(leaked.holder)} after every task finished: a lock not released (in finally?).`,
    };
  }
  return null;
}
