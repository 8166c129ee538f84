import { setTimeout as pause } from 'node:timers/promises';
import { ALL } from '../explorer/footprint.js';
import { BACKGROUND, EPOCH_MS, type Touch, type World } from '../explorer/world.js';
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
import type { RedisConnection } from './server.js';

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
export interface Link {
  connection: RedisConnection;
  /** Its CLIENT ID, to ask the server whether a command of it is blocked (BLPOP). */
  id: string;
  /** A command is under way: a new run must not reuse the connection an abandoned run left busy. */
  busy: boolean;
}

/** One command as a check sees it: who sent it, and the watched keys' values just before and after. */
export interface Observation {
  task: number;
  /** The command (or transaction) as the timeline shows it. */
  shown: string;
  /** The watched keys' values (strings, or null when absent), in the order they were named. */
  before: (string | null)[];
  after: (string | null)[];
  /** The watched keys' deadlines after it (virtual ms since the Unix epoch), or null: no expiry, or absent. */
  deadlines: (number | null)[];
  /** Keys whose TTL had run out when the command came, expired (deleted) just before it. */
  expired: string[];
  /** The command's reply, or the error it raised. */
  reply: unknown;
}

export interface SessionOptions {
  /** Keys whose values each command reports, before and after it (to `observe`). */
  watch?: readonly string[];
  /** Told of every command the learner's code sends, once it has run. */
  observe?(seen: Observation): void;
  /**
   * Whether a key's TTL may run out now: while it answers false, time does not pass by expiry (for a
   * contract where time moves only between calls, as in the sliding-window limiter). Default: always.
   */
  mayExpire?(): boolean;
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

/** How long a blocking command may take before the server is asked whether it is blocked. */
const BLOCK_CHECK_MS = 5;

const TIME: Command = ['TIME'];

/** A Redis command reads and writes the server's data, and reads the clock (expiry depends on it). */
const TOUCHES: Touch[] = [
  { object: 'db', key: ALL, write: true },
  { object: 'clock', key: 'now', write: false },
];

/**
 * Keep a virtual timer of `world` from firing while `mayFire` answers false (it fires in its turn
 * once it answers true): for a contract that lets time pass only at some points.
 */
export function holdTimer(world: World, timer: unknown, mayFire: () => boolean): void {
  const op = world.pending.get(Number(timer));
  if (!op) return;
  const fires = op.enabled;
  op.enabled = () => mayFire() && fires();
}

/** The reply to a TTL read, answered from the key's virtual deadline (as Redis rounds: half up). */
function expiryReply(name: string, at: number, now: number): number {
  if (at < 0) return at;
  const deadline = at >= MARK ? at - MARK : at;
  const value = name.endsWith('EXPIRETIME') ? deadline : Math.max(0, deadline - now);
  return name.startsWith('P') ? value : Math.floor((value + 500) / 1000);
}

/** The value of a settled reply, or its error thrown. */
function settledValue(result: PromiseSettledResult<unknown>): unknown {
  if (result.status === 'rejected') throw result.reason;
  return result.value;
}

/** A watched key's value as read with GET: a string, or null (absent, or not a string). */
const watchedValue = (result: PromiseSettledResult<unknown> | undefined) =>
  result?.status === 'fulfilled' && typeof result.value === 'string' ? result.value : null;

/** `MULTI · INCR views · DEL views · EXEC`. */
function transactionText(commands: readonly Command[]): string {
  return ['MULTI', ...commands.map(commandText), 'EXEC'].join(' · ');
}

/**
 * The Redis of one explored run. Each command of a process is a remote operation of the world,
 * sent when the explorer releases it and shown with its arguments and reply. Key expiry follows
 * the run's virtual clock: a TTL a command sets becomes a timer of the world, named "TTL of key",
 * whose firing (a step the explorer chooses, in order of time) moves the clock to the deadline;
 * the next command then finds the key expired, as Redis expires keys lazily on access.
 */
export class RedisSession {
  /** Deadlines (virtual ms since the Unix epoch) that already have a timer. */
  private readonly armed = new Set<number>();
  /** Deadlines not yet applied to the server: the next command at or after one expires its keys. */
  private due: number[] = [];

  constructor(
    private readonly admin: RedisConnection,
    private readonly expiry: VirtualExpiry,
    private readonly links: readonly Link[],
    private readonly world: World,
    private readonly options: SessionOptions,
  ) {}

  /** The run's virtual time, in ms since the Unix epoch (what `Date.now()` answers learner code). */
  now(): number {
    return EPOCH_MS + this.world.readClock();
  }

  /** Run a command as the checker (to read the final state), with every expiry due by now applied. */
  async read(...command: (string | number)[]): Promise<unknown> {
    const due = this.takeDue(this.now());
    if (due) await this.admin.sendCommand([...due]);
    return this.admin.sendCommand(command.map(String));
  }

  /** The deadline (virtual ms since the epoch) of `key`, after expiring what is due: see VirtualExpiry. */
  async deadline(key: string): Promise<number | null | undefined> {
    await this.read('PING');
    return this.expiry.deadline(key);
  }

  /** The command expiring every key due by `now`, when a deadline has come since the last one. */
  private takeDue(now: number): Command | null {
    if (!this.due.some((deadline) => deadline <= now)) return null;
    this.due = this.due.filter((deadline) => deadline > now);
    return VirtualExpiry.expireDue(now);
  }

  /** A timer for each new deadline, so that time can pass to it; background work, as expiry is the server's. */
  private arm(deadlines: ReadonlyMap<string, number>, now: number): void {
    const keys = new Map<number, string[]>();
    for (const [key, deadline] of deadlines) keys.set(deadline, [...(keys.get(deadline) ?? []), key]);
    for (const [deadline, names] of [...keys].sort(([a], [b]) => a - b)) {
      if (this.armed.has(deadline)) continue;
      this.armed.add(deadline);
      this.due.push(deadline);
      // The server's, not the process's: a process's own later steps must not wait for it. Named by
      // when it was set, so two leases of one key are two events, not one repeated (a poll).
      const name = `TTL of ${names.sort().join(', ')} set at t=${now - EPOCH_MS} ms`;
      const timer = this.world.runAs(BACKGROUND, () =>
        this.world.timer(name, deadline - now, () => undefined, false),
      );
      const mayExpire = this.options.mayExpire;
      if (mayExpire) holdTimer(this.world, timer, mayExpire);
    }
  }

  /**
   * Connection `index` as the learner's code sees it. Commands of one connection reach the server
   * in the order they were issued, as on a real connection.
   */
  port(index: number): RedisPort {
    const link = this.links[index];
    if (!link) throw new Error(`RedisSession.port(${index}): the bench has ${this.links.length} connections`);
    const { world } = this;
    const watch = this.options.watch ?? [];
    let tail: Promise<unknown> = Promise.resolve();
    let waiting = 0;
    /** The commands of a MULTI sent as `call('MULTI')`, queued until EXEC, as the server would. */
    let queued: Command[] | null = null;

    const perform = async (commands: Command[], transaction: boolean, task: number, shown: string) => {
      link.busy = true;
      try {
        const now = this.now();
        const single = commands.length === 1 && !transaction ? commands[0]! : null;
        const send = (batch: Command[]) =>
          Promise.allSettled(batch.map((command) => link.connection.sendCommand([...command])));
        const due = this.takeDue(now);
        const reads: Command[] = watch.map((key) => ['GET', key]);
        const expiries: Command[] = watch.map((key) => ['PEXPIRETIME', key]);
        // The command itself, and how its reply and new deadlines are read from its part of the batch.
        let main: Command[];
        let reply: (part: PromiseSettledResult<unknown>[]) => unknown;
        let deadlines: (part: PromiseSettledResult<unknown>[]) => Promise<Map<string, number>> = async () =>
          new Map();
        const body = commands.map((command) => forServer(command, now));
        const exact = single ? expiryOf(single, now) : null;
        if (single?.[0] === 'TIME') {
          main = [];
          reply = () => [String(Math.floor(now / 1000)), String((now % 1000) * 1000)];
        } else if (single && EXPIRY_READS.has(single[0]!) && single[1] !== undefined) {
          main = [['PEXPIRETIME', single[1]]];
          reply = ([at]) => expiryReply(single[0]!, Number(settledValue(at!)), now);
        } else if (single && exact) {
          // The TTL is in the arguments: mark the key right behind the command, in the same batch.
          main = [body[0]!, VirtualExpiry.markOne(exact.key, exact.ttl, now)];
          reply = ([sent]) => settledValue(sent!);
          deadlines = async ([, marked]) => {
            const deadline = Number(marked?.status === 'fulfilled' ? marked.value : -1);
            return new Map(deadline >= 0 ? [[exact.key, deadline]] : []);
          };
        } else if (single && !isOpaque(single)) {
          main = [body[0]!];
          reply = ([sent]) => settledValue(sent!);
        } else {
          // A script or a transaction may set any key's TTL: find out when it ran, then ask the server.
          const sent = transaction ? [['MULTI'], ...body, ['EXEC']] : body;
          main = [TIME, ...sent, TIME];
          reply = (part) => settledValue(part.at(-2)!);
          deadlines = (part) => {
            const window = { from: timeMs(settledValue(part[0]!)), to: timeMs(settledValue(part.at(-1)!)) };
            return this.expiry.sync(now, window);
          };
        }
        const replies = await send([...(due ? [due] : []), ...reads, ...main, ...reads, ...expiries]);
        let at = 0;
        const expired = due ? ((settledValue(replies[at++]!) as string[]) ?? []) : [];
        const before = reads.map(() => watchedValue(replies[at++]));
        const part = replies.slice(at, at + main.length);
        at += main.length;
        const after = reads.map(() => watchedValue(replies[at++]));
        const set = await deadlines(part);
        // Read before a script's expiries were converted: the conversion's own figure wins then.
        const ends = watch.map((key) => {
          const result = replies[at++];
          const raw = result?.status === 'fulfilled' ? Number(result.value) : -1;
          return set.get(key) ?? (raw >= MARK ? raw - MARK : null);
        });
        this.arm(set, now);
        let outcome: { ok: boolean; value: unknown };
        try {
          outcome = { ok: true, value: reply(part) };
        } catch (error) {
          outcome = { ok: false, value: error };
        }
        this.options.observe?.({
          task,
          shown,
          before,
          after,
          deadlines: ends,
          expired,
          reply: outcome.value,
        });
        if (!outcome.ok) throw outcome.value;
        return outcome.value;
      } finally {
        link.busy = false;
      }
    };

    const remote = (commands: Command[], transaction: boolean, shown: string): Promise<unknown> => {
      const task = world.task();
      let running: Promise<unknown> | null = null;
      let settled = false;
      const blocking = !transaction && mayBlock(commands[0]!);
      return world.remote(
        shown,
        transaction ? commands.map(commandText) : commands[0]!.slice(1),
        () => {
          running = perform(commands, transaction, task, shown);
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
            return /flags=\S*b/.test(info) ? { on: 'data for its blocking command', holders: [] } : null;
          },
          describe: replyText,
          describeError: (error) => (error instanceof Error ? error.message : String(error)),
          touches: TOUCHES,
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
      world.op(commandText(command), command.slice(1), () => reply, {
        describe: replyText,
        touches: [{ object: 'redis-queue', key: String(index), write: true }],
      });

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
