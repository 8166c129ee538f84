import type { Budget } from '../explorer/explorer.js';
import { ALL } from '../explorer/footprint.js';
import type { Touch, World } from '../explorer/world.js';
import type { RedisPort, SessionOptions } from '../redis/bench.js';
import type { RedisSession } from '../redis/session.js';
import type { Module } from './check.js';

/**
 * A schedule costs a few milliseconds on a real Redis (one round trip per command): a smaller
 * search per workload than in memory, and few workloads.
 */
export const REDIS_BUDGET: Partial<Budget> = { maxSchedules: 60, boundedSchedules: 20, random: 8 };

/** What a check's own in-memory ports touch: they read what the Redis commands left, and the clock. */
export const READS_REDIS: Touch[] = [
  { object: 'db', key: ALL, write: false },
  { object: 'clock', key: 'now', write: false },
];

/** The simulated servers of one run: each its own module instance and its own Redis connection. */
export interface Servers {
  session: RedisSession;
  modules: Module[];
  ports: RedisPort[];
}

/**
 * Set up `count` servers for one run: the bench reset (an empty database), a session on the run's
 * virtual clock, and for each server a module instance (`mod` for the first, `another()` for the
 * rest, as separate processes would have) and a connection. Throws `RedisUnavailable` (a
 * UserError: "not graded", exit 2) on a machine without Redis.
 */
export async function servers(
  world: World,
  mod: Module,
  another: () => Module,
  count: number,
  options: SessionOptions = {},
): Promise<Servers> {
  // The Redis client and the server's code load with the first Redis check, not with every grader.
  const { RedisBench } = await import('../redis/bench.js');
  const bench = await RedisBench.ready(count);
  const session = bench.session(world, options);
  const modules = Array.from({ length: count }, (_, i) => (i === 0 ? mod : another()));
  return { session, modules, ports: modules.map((_, i) => session.port(i)) };
}

/** The error a command of a server that died meets: the call stops there, and sends nothing more. */
export class ServerCrashed extends Error {
  constructor() {
    super('the server died (the checker stopped it here)');
    this.name = 'ServerCrashed';
  }
}

/**
 * A connection whose server dies after `after` commands: the next command, and every one after it,
 * is never sent and rejects with ServerCrashed. `onCrash` hears the moment.
 */
export function crashing(port: RedisPort, after: number, onCrash: () => void): RedisPort {
  let sent = 0;
  let died = false;
  const counted = <T>(send: () => T): T | Promise<never> => {
    if (sent < after) {
      sent++;
      return send();
    }
    if (!died) {
      died = true;
      onCrash();
    }
    return Promise.reject(new ServerCrashed());
  };
  return new Proxy(port, {
    get(target, prop) {
      const value = Reflect.get(target, prop);
      if (typeof value !== 'function') return value;
      if (prop === 'multi') {
        return () => {
          const builder = value() as Record<string, (...args: unknown[]) => unknown>;
          const wrapped: object = new Proxy(builder, {
            get(inner, name) {
              const method = Reflect.get(inner, name);
              if (typeof method !== 'function') return method;
              if (name === 'exec') return () => counted(() => method());
              return (...args: unknown[]) => {
                method(...args);
                return wrapped;
              };
            },
          });
          return wrapped;
        };
      }
      return (...args: unknown[]) => counted(() => value(...args));
    },
  });
}
