import { setTimeout as pause } from 'node:timers/promises';
import { isUserError } from '../errors.js';
import type { World } from '../explorer/world.js';
import {
  type Command,
  commandText,
  EXPIRY_READS,
  expiryOf,
  forServer,
  isOpaque,
  mayBlock,
  replyText,
  toCommand,
} from './commands.js';
import { MARK, timeMs, VirtualExpiry } from './expiry.js';
import { connectRedis, emptyDatabase, getRedis, type RedisConnection, type RedisServer } from './server.js';

/** The checker's virtual clock, as the Redis port reads it: ms since the Unix epoch. */
export interface Clock {
  now(): number;
}

/**
 * What a learner's code holds: one connection to Redis, in the style of ioredis. Any method sends
 * the command of its name with its arguments as Redis takes them (`set('k', 'v', 'NX', 'PX', 10000)`,
 * `eval(script, 1, key, arg)`) and resolves with the reply (strings, integers, arrays, null); an
 * error reply rejects. `call(name, ...args)` sends any command. `multi()` queues commands and sends
 * them at `exec()` as one MULTI…EXEC, which resolves with their replies (an Error in place of a
 * command that failed), or null when a WATCHed key changed.
 */
export type RedisPort = Record<string, (...args: unknown[]) => unknown>;

/** One simulated process's own connection. */
interface Link {
  connection: RedisConnection;
  /** Its CLIENT ID, to ask the server whether a command of it is blocked (BLPOP). */
  id: string;
  /** A command is under way: a new run must not reuse the connection an abandoned run left busy. */
  busy: boolean;
}

/** Names that are not commands, which inspecting or awaiting an object looks up. */
const NOT_COMMANDS = new Set([
  'then',
  'catch',
  'finally',
  'constructor',
  'toJSON',
  'inspect',
  'valueOf',
  'toString',
]);

/** How long a command may take before the server is asked whether it is blocked. */
const BLOCK_CHECK_MS = 5;

const TIME: Command = ['TIME'];

/** The reply to a TTL read, answered from the key's virtual deadline (as Redis rounds: half up). */
function expiryReply(name: string, at: number, now: number): number {
  if (at < 0) return at;
  const deadline = at >= MARK ? at - MARK : at;
  const ms = name.startsWith('P') ? 1 : 1000;
  const value = name.endsWith('EXPIRETIME') ? deadline : Math.max(0, deadline - now);
  return ms === 1 ? value : Math.floor((value + 500) / 1000);
}

/**
 * The Redis of the checks in one grader process: the server, the checker's own connection (to
 * reset the data, expire keys, read the final state) and one connection per simulated process.
 */
export class RedisBench {
  private readonly links: Link[] = [];
  readonly expiry: VirtualExpiry;

  private constructor(
    private readonly server: RedisServer,
    private readonly admin: RedisConnection,
  ) {
    this.expiry = new VirtualExpiry(admin);
  }

  private static bench: Promise<RedisBench> | undefined;

  /**
   * The bench, created on first use. Throws `RedisUnavailable` on a machine without Redis, and a
   * `UserError` when a REDIS_URL database holds data racelings did not write (it empties it).
   */
  static get(): Promise<RedisBench> {
    if (!RedisBench.bench) {
      const created = RedisBench.create();
      RedisBench.bench = created;
      created.catch(() => {
        if (RedisBench.bench === created) RedisBench.bench = undefined;
      });
    }
    return RedisBench.bench;
  }

  /**
   * The bench, reset for a schedule of `count` processes (see `reset`). A bench whose server went
   * away (it was killed, or restarted) is dropped and made again once, on a server started afresh.
   */
  static async ready(count: number): Promise<RedisBench> {
    const bench = await RedisBench.get();
    try {
      await bench.reset(count);
      return bench;
    } catch (error) {
      if (isUserError(error)) throw error;
      bench.close();
      if (RedisBench.bench !== undefined && (await RedisBench.bench.catch(() => null)) === bench) {
        RedisBench.bench = undefined;
      }
      const again = await RedisBench.get();
      await again.reset(count);
      return again;
    }
  }

  /** Close every connection of the bench. */
  close(): void {
    this.admin.destroy();
    for (const link of this.links.splice(0)) link.connection.destroy();
  }

  private static async create(): Promise<RedisBench> {
    const server = await getRedis();
    const admin = await connectRedis(server.address);
    try {
      await emptyDatabase(admin, server);
    } catch (error) {
      admin.destroy();
      throw error;
    }
    return new RedisBench(server, admin);
  }

  private async link(): Promise<Link> {
    const connection = await connectRedis(this.server.address);
    return { connection, id: String(await connection.sendCommand(['CLIENT', 'ID'])), busy: false };
  }

  /** Empty the database and the script cache, and make `count` idle connections with nothing WATCHed. */
  async reset(count: number): Promise<void> {
    for (const [index, link] of this.links.entries()) {
      if (!link.busy) continue;
      link.connection.destroy();
      this.links[index] = await this.link();
    }
    while (this.links.length < count) this.links.push(await this.link());
    await Promise.all([
      emptyDatabase(this.admin, this.server),
      this.admin.sendCommand(['SCRIPT', 'FLUSH']),
      ...this.links.map((link) => link.connection.sendCommand(['UNWATCH'])),
    ]);
  }

  /** Run a command as the checker, outside every simulated process (to set up or read the state). */
  read(...command: (string | number)[]): Promise<unknown> {
    return this.admin.sendCommand(command.map(String));
  }

  /**
   * Connection `index` as the learner's code sees it. Each command is a remote operation of the
   * world: sent when the explorer releases it, shown with its arguments and reply. Commands of one
   * connection reach the server in the order they were issued, as on a real connection.
   */
  port(world: World, index: number, clock: Clock): RedisPort {
    const link = this.links[index];
    if (!link)
      throw new Error(`RedisBench.port(${index}): reset() made only ${this.links.length} connections`);
    let tail: Promise<unknown> = Promise.resolve();
    let waiting = 0;
    /** The commands of a MULTI sent as `call('MULTI')`, queued until EXEC, as the server would. */
    let queued: Command[] | null = null;

    const perform = async (commands: Command[], transaction: boolean): Promise<unknown> => {
      link.busy = true;
      try {
        const now = clock.now();
        const single = commands.length === 1 && !transaction ? commands[0]! : null;
        const readsExpiry = single !== null && EXPIRY_READS.has(single[0]!) && single[1] !== undefined;
        if (single?.[0] === 'TIME') return [String(Math.floor(now / 1000)), String((now % 1000) * 1000)];
        const send = (batch: Command[]) =>
          Promise.allSettled(batch.map((command) => link.connection.sendCommand([...command])));
        if (readsExpiry) {
          const at = Number(await link.connection.sendCommand(['PEXPIRETIME', single[1]!]));
          return expiryReply(single[0]!, at, now);
        }
        const body = commands.map((command) => forServer(command, now));
        const exact = single ? expiryOf(single, now) : null;
        if (single && exact && Number.isFinite(exact.ttl)) {
          // The TTL is in the arguments: mark the key right behind the command, in the same batch.
          const [reply] = await send([body[0]!, VirtualExpiry.markOne(exact.key, exact.ttl, now)]);
          return settledValue(reply!);
        }
        if (single && !isOpaque(single)) return link.connection.sendCommand([...body[0]!]);
        // A script or a transaction may set any key's TTL: find out when it ran, then ask the server.
        const sent = transaction ? [['MULTI'], ...body, ['EXEC']] : body;
        const replies = await send([TIME, ...sent, TIME]);
        const window = { from: timeMs(settledValue(replies[0]!)), to: timeMs(settledValue(replies.at(-1)!)) };
        await this.expiry.sync(now, window);
        return settledValue(replies.at(-2)!);
      } finally {
        link.busy = false;
      }
    };

    const remote = (commands: Command[], transaction: boolean, shown: string): Promise<unknown> => {
      let running: Promise<unknown> | null = null;
      let settled = false;
      const blocking = !transaction && mayBlock(commands[0]!);
      return world.remote(
        shown,
        transaction ? commands.map(commandText) : commands[0]!.slice(1),
        () => {
          running = perform(commands, transaction);
          running.then(
            () => (settled = true),
            () => (settled = true),
          );
          return running;
        },
        {
          blocked: async () => {
            // Only a blocking command can wait on another client: any other one just finishes.
            if (!blocking) {
              await running?.catch(() => undefined);
              return null;
            }
            if (running) await Promise.race([running.catch(() => undefined), pause(BLOCK_CHECK_MS)]);
            if (settled) return null;
            const info = String(await this.admin.sendCommand(['CLIENT', 'LIST', 'ID', link.id]));
            return /flags=\S*b/.test(info) ? 'data for its blocking command' : null;
          },
          describe: replyText,
          describeError: (error) => (error instanceof Error ? error.message : String(error)),
        },
      );
    };

    /** Commands of one connection go out in order: a command waits for the one before it. */
    const inOrder = (start: () => Promise<unknown>): Promise<unknown> => {
      const run = waiting === 0 ? start() : tail.then(start);
      waiting++;
      const done = run.finally(() => waiting--);
      tail = done.catch(() => undefined);
      return run;
    };

    const local = (command: Command, reply: string): Promise<unknown> =>
      world.op(commandText(command), command.slice(1), () => reply, { describe: replyText });

    const send = (command: Command): Promise<unknown> => {
      const [name] = command;
      if (name === 'MULTI') {
        queued = [];
        return local(command, 'OK');
      }
      if (queued !== null) {
        if (name === 'DISCARD') {
          queued = null;
          return local(command, 'OK');
        }
        if (name !== 'EXEC') {
          queued.push(command);
          return local(command, 'QUEUED');
        }
        const block = queued;
        queued = null;
        return inOrder(() => remote(block, true, 'EXEC'));
      }
      return inOrder(() => remote([command], false, commandText(command)));
    };

    const transactionBuilder = () => {
      const commands: Command[] = [];
      const builder: Record<string, unknown> = new Proxy(
        {},
        {
          get: (_, prop) => {
            if (typeof prop !== 'string' || NOT_COMMANDS.has(prop)) return undefined;
            if (prop === 'exec')
              return () => inOrder(() => remote(commands, true, transactionText(commands)));
            if (prop === 'discard') return () => commands.splice(0);
            return (...args: unknown[]) => {
              commands.push(toCommand(prop, args));
              return builder;
            };
          },
        },
      );
      return builder;
    };

    return new Proxy({} as RedisPort, {
      get: (_, prop) => {
        if (typeof prop !== 'string' || NOT_COMMANDS.has(prop)) return undefined;
        if (prop === 'multi') return transactionBuilder;
        if (prop === 'call')
          return (name: unknown, ...args: unknown[]) => send(toCommand(String(name), args));
        return (...args: unknown[]) => send(toCommand(prop, args));
      },
    });
  }
}

/** The value of a settled reply, or its error thrown. */
function settledValue(result: PromiseSettledResult<unknown>): unknown {
  if (result.status === 'rejected') throw result.reason;
  return result.value;
}

/** `MULTI · INCR views · DEL views · EXEC`. */
function transactionText(commands: readonly Command[]): string {
  return ['MULTI', ...commands.map(commandText), 'EXEC'].join(' · ');
}
