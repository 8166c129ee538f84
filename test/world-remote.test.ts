import { describe, expect, it } from 'vitest';
import { World } from '../src/explorer/world.js';

/**
 * A statement that waits on a server until `free` is called; `asked` counts the times the world
 * asked the server whether it still waits.
 */
function waitingStatement(world: World, task: number) {
  let free = () => {};
  const done = new Promise<string>((resolve) => {
    free = () => resolve('done');
  });
  let waits = true;
  const state = { asked: 0 };
  const promise = world.runAs(task, () =>
    world.remote('UPDATE t', [], () => done, {
      blocked: async () => {
        state.asked++;
        return waits ? { on: "t2's lock", holders: [1] } : null;
      },
    }),
  );
  promise.catch(() => {});
  return {
    state,
    free: () => {
      waits = false;
      free();
    },
  };
}

const pendingOf = (world: World, task: number) => [...world.pending.values()].find((op) => op.task === task)!;

describe('World.stabilize: asking whether a statement still waits', () => {
  it('does not ask again when nothing was sent since it was seen waiting', async () => {
    const world = new World();
    const waiting = waitingStatement(world, 0);
    await pendingOf(world, 0).release(false);
    expect(pendingOf(world, 0).blockedOn).toBe("t2's lock");
    const asked = waiting.state.asked;
    await world.stabilize();
    await world.stabilize();
    expect(waiting.state.asked).toBe(asked);
  });

  it('asks again once another statement was sent, and when told to always ask', async () => {
    const world = new World();
    const waiting = waitingStatement(world, 0);
    await pendingOf(world, 0).release(false);
    const asked = waiting.state.asked;
    world.runAs(1, () => world.remote('COMMIT', [], async () => 'ok', { blocked: async () => null }));
    await pendingOf(world, 1).release(false);
    await world.stabilize();
    expect(waiting.state.asked).toBe(asked + 1);
    await world.stabilize(true);
    expect(waiting.state.asked).toBe(asked + 2);
    waiting.free();
    await world.stabilize(true);
    expect(pendingOf(world, 0).blockedOn).toBeNull();
  });
});
