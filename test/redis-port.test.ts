import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { BACKGROUND, EPOCH_MS, World } from '../src/explorer/world.js';
import { type Observation, RedisBench, type RedisPort } from '../src/redis/bench.js';
import {
  commandText,
  expiryOf,
  forServer,
  isOpaque,
  mayBlock,
  replyText,
  toCommand,
} from '../src/redis/commands.js';
import { stopRedis } from '../src/redis/server.js';
import type { RedisSession } from '../src/redis/session.js';

const START = EPOCH_MS;

type Send = (...args: (string | number | string[])[]) => Promise<unknown>;
/** The port as a learner's interface would declare it: the commands these tests send. */
type Commands = Record<
  | 'set'
  | 'get'
  | 'incr'
  | 'rpush'
  | 'lrange'
  | 'pttl'
  | 'ttl'
  | 'eval'
  | 'evalsha'
  | 'expire'
  | 'rename'
  | 'pexpiretime'
  | 'time'
  | 'watch'
  | 'blpop'
  | 'script'
  | 'call',
  Send
> & { multi(): Transaction };
interface Transaction {
  incr(key: string): Transaction;
  get(key: string): Transaction;
  set(key: string, value: string): Transaction;
  exec(): Promise<unknown>;
}
const commands = (port: RedisPort) => port as unknown as Commands;

/** Release every pending operation but timers, oldest first, until none is left and none is blocked. */
async function runAll(world: World): Promise<void> {
  for (;;) {
    await new Promise((resolve) => setImmediate(resolve));
    const op = [...world.pending.values()].find((p) => p.enabled() && p.due === undefined);
    if (!op) return;
    await op.release(false);
  }
}

describe('commands as data', () => {
  it('a call becomes the command Redis takes: upper-case name, strings, arrays flattened', () => {
    expect(toCommand('set', ['k', 'v', 'NX', 'PX', 10_000])).toEqual(['SET', 'k', 'v', 'NX', 'PX', '10000']);
    expect(toCommand('del', [['a', 'b'], 'c'])).toEqual(['DEL', 'a', 'b', 'c']);
    expect(() => toCommand('set', ['k', undefined])).toThrow(/redis\.set: argument 2 is undefined/);
    expect(() => toCommand('incrby', ['k', Number.NaN])).toThrow(TypeError);
  });

  it('reads in the timeline as redis-cli echoes it, scripts cut short', () => {
    expect(commandText(['SET', 'lock:job', 'a b', 'NX', 'PX', '10000'])).toBe(
      'SET lock:job "a b" NX PX 10000',
    );
    const script =
      "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0";
    expect(commandText(['EVAL', script, '1', 'lock', 't1'])).toBe(
      `EVAL "if redis.call('get', KEYS[1]) == ARGV[1] th…" 1 lock t1`,
    );
    expect(commandText(['EVALSHA', 'e0e1f9fabfc9d4800c877a703b823ac0578ff831', '1', 'k'])).toBe(
      'EVALSHA e0e1f9fa… 1 k',
    );
    expect(replyText(null)).toBe('nil');
    expect(replyText([1, 'a', null])).toBe("[1, 'a', nil]");
    expect(replyText('OK')).toBe('OK');
  });

  it('knows the expiry a command sets from its arguments, absolute times on the virtual clock', () => {
    expect(expiryOf(['SET', 'k', 'v', 'NX', 'PX', '10000'], START)).toEqual({ key: 'k', ttl: 10_000 });
    expect(expiryOf(['SET', 'k', 'v', 'EX', '3'], START)).toEqual({ key: 'k', ttl: 3000 });
    expect(expiryOf(['SET', 'k', 'v', 'PXAT', String(START + 500)], START)).toEqual({ key: 'k', ttl: 500 });
    expect(expiryOf(['EXPIRE', 'k', '2'], START)).toEqual({ key: 'k', ttl: 2000 });
    expect(expiryOf(['SETEX', 'k', '2', 'v'], START)).toEqual({ key: 'k', ttl: 2000 });
    expect(expiryOf(['SET', 'k', 'v'], START)).toBeNull();
    expect(expiryOf(['SET', 'PX', 'v'], START)).toBeNull();
    expect(forServer(['SET', 'k', 'v', 'PXAT', String(START + 500)], START)).toEqual([
      'SET',
      'k',
      'v',
      'PX',
      '500',
    ]);
    expect(forServer(['SET', 'k', 'v', 'PXAT', String(START - 1)], START)).toEqual([
      'SET',
      'k',
      'v',
      'PXAT',
      '1',
    ]);
    expect(forServer(['EXPIREAT', 'k', String(START / 1000 + 2)], START)).toEqual(['PEXPIRE', 'k', '2000']);
  });

  it('knows which commands hide their effect on expiry, and which can wait on another client', () => {
    expect(isOpaque(['EVAL', 'return 1', '0'])).toBe(true);
    expect(isOpaque(['EVALSHA', 'abc', '0'])).toBe(true);
    expect(isOpaque(['SET', 'k', 'v', 'PX', '10'])).toBe(false);
    expect(mayBlock(['BLPOP', 'q', '0'])).toBe(true);
    expect(mayBlock(['XREAD', 'block', '0', 'STREAMS', 's', '$'])).toBe(true);
    expect(mayBlock(['XREAD', 'STREAMS', 's', '0'])).toBe(false);
    expect(mayBlock(['GET', 'k'])).toBe(false);
  });
});

describe('the Redis port', () => {
  let bench: RedisBench;
  let world: World;
  let session: RedisSession;
  let seen: Observation[];
  let a: Commands;
  let b: Commands;

  async function fresh(): Promise<void> {
    bench = await RedisBench.ready(2);
    world = new World();
    seen = [];
    session = bench.session(world, { watch: ['lock'], observe: (o) => seen.push(o) });
    a = commands(session.port(0));
    b = commands(session.port(1));
  }
  beforeEach(fresh);
  afterAll(() => stopRedis());

  /** Run `body` as task `task` while releasing every operation it issues; resolve with its value. */
  async function as<T>(task: number, body: () => Promise<T>): Promise<T> {
    const result = world.runAs(task, body);
    await runAll(world);
    return result;
  }

  it('a command takes effect only when the explorer releases it, and shows with its reply', async () => {
    const sent = world.runAs(0, () => a.set('lock', 't1', 'NX', 'PX', 10_000));
    await new Promise((resolve) => setImmediate(resolve));
    expect(await bench.read('EXISTS', 'lock')).toBe(0);
    expect([...world.pending.values()].map((op) => op.name)).toEqual(['SET lock t1 NX PX 10000']);
    await runAll(world);
    expect(await sent).toBe('OK');
    expect(await as(1, () => b.set('lock', 't2', 'NX', 'PX', 10_000))).toBeNull();
    expect(world.events.map((e) => [e.task, e.op, e.args, e.result])).toEqual([
      [0, 'SET lock t1 NX PX 10000', ['lock', 't1', 'NX', 'PX', '10000'], '→ OK'],
      [1, 'SET lock t2 NX PX 10000', ['lock', 't2', 'NX', 'PX', '10000'], '→ nil'],
    ]);
  });

  it('an error reply rejects, and shows as the server said it', async () => {
    await as(0, () => a.set('k', 'text'));
    await expect(as(0, () => a.incr('k'))).rejects.toThrow(/not an integer/);
    expect(world.events.at(-1)?.result).toMatch(/^✗ ERR value is not an integer/);
  });

  it('commands issued together on one connection reach the server in the order they were issued', async () => {
    const replies = await as(0, () =>
      Promise.all([a.rpush('q', 'x'), a.rpush('q', 'y'), a.lrange('q', 0, -1)]),
    );
    expect(replies).toEqual([1, 2, ['x', 'y']]);
  });

  it('a TTL runs on the virtual clock: the key outlives real time, and expires when its timer fires', async () => {
    await as(0, () => a.set('lock', 't1', 'NX', 'PX', 50));
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(await as(0, () => a.get('lock'))).toBe('t1');
    expect(await as(0, () => a.pttl('lock'))).toBe(50);
    const timer = [...world.pending.values()].find((op) => op.due !== undefined)!;
    // Expiry is the server's work, not the process's: a background timer, named by when it was set.
    expect(timer).toMatchObject({ name: 'TTL of lock set at t=0 ms', task: BACKGROUND, due: 50 });
    world.now = 20;
    expect(await as(0, () => a.pttl('lock'))).toBe(30);
    expect(await as(0, () => a.ttl('lock'))).toBe(0);
    expect(await bench.expiry.nextDeadline()).toBe(START + 50);
    await timer.release(false);
    expect(world.now).toBe(50);
    expect(await as(1, () => b.set('lock', 't2', 'NX', 'PX', 50))).toBe('OK');
    expect(seen.at(-1)).toMatchObject({ task: 1, before: [null], after: ['t2'], expired: ['lock'] });
  });

  it('expiry set inside a script, by EXPIRE or carried by RENAME lands on the virtual clock too', async () => {
    const script = "redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1";
    await as(0, () => a.eval(script, 1, 'scripted', 'v', 3000));
    await as(0, () => a.set('plain', 'v'));
    await as(0, () => a.expire('plain', 2));
    await as(0, () => a.rename('plain', 'renamed'));
    expect(await session.deadline('scripted')).toBe(START + 3000);
    expect(await session.deadline('renamed')).toBe(START + 2000);
    expect(await as(0, () => a.pexpiretime('renamed'))).toBe(START + 2000);
    const timers = [...world.pending.values()].filter((op) => op.due !== undefined);
    expect(timers.map((op) => [op.name, op.due])).toEqual([
      ['TTL of scripted set at t=0 ms', 3000],
      ['TTL of plain set at t=0 ms', 2000],
    ]);
    world.now = 2000;
    expect(await session.read('EXISTS', 'renamed')).toBe(0);
    expect(await session.read('EXISTS', 'scripted')).toBe(1);
    world.now = 3000;
    expect(await session.read('EXISTS', 'scripted')).toBe(0);
  });

  it("a SET NX that loses leaves the holder's lease as it was", async () => {
    await as(0, () => a.set('lock', 't1', 'NX', 'PX', 1000));
    world.now = 400;
    expect(await as(1, () => b.set('lock', 't2', 'NX', 'PX', 1000))).toBeNull();
    expect(await session.deadline('lock')).toBe(START + 1000);
    expect([...world.pending.values()].filter((op) => op.due !== undefined)).toHaveLength(1);
  });

  it('SET without KEEPTTL or PERSIST removes an expiry, as Redis does', async () => {
    await as(0, () => a.set('k', '1', 'PX', 1000));
    await as(0, () => a.set('k', '2'));
    expect(await session.deadline('k')).toBeNull();
    expect(await as(0, () => a.pttl('k'))).toBe(-1);
    expect(await bench.expiry.nextDeadline()).toBeNull();
  });

  it('TIME answers the virtual clock', async () => {
    world.now = 1234;
    expect(await as(0, () => a.time())).toEqual([String(START / 1000 + 1), '234000']);
  });

  it('multi() sends its commands as one MULTI…EXEC, and a WATCHed key changed makes EXEC answer nil', async () => {
    expect(await as(0, () => a.multi().incr('n').incr('n').get('n').exec())).toEqual([1, 2, '2']);
    await as(0, () => a.watch('n'));
    await as(1, () => b.incr('n'));
    expect(await as(0, () => a.multi().set('n', '0').exec())).toBeNull();
    expect(await bench.read('GET', 'n')).toBe('3');
    expect(world.events.at(-1)?.op).toBe('MULTI · SET n 0 · EXEC');
  });

  it('call("MULTI") queues what follows until EXEC, as the server would', async () => {
    const replies = await as(0, async () => [
      await a.call('MULTI'),
      await a.incr('n'),
      await a.call('GET', 'n'),
      await a.call('EXEC'),
    ]);
    expect(replies).toEqual(['OK', 'QUEUED', 'QUEUED', [1, '1']]);
  });

  it('a blocking command is seen waiting on the server until another connection feeds it', async () => {
    const popped = world.runAs(0, () => a.blpop('jobs', 0));
    await new Promise((resolve) => setImmediate(resolve));
    const op = [...world.pending.values()][0]!;
    await op.release(false);
    expect(op.blockedOn).toMatch(/data for its blocking command/);
    await as(1, () => b.rpush('jobs', 'j1'));
    await world.awaitServer(2000);
    await runAll(world);
    expect(await popped).toEqual(['jobs', 'j1']);
  });

  it('a bench whose server died is made again, on a new server, when a schedule needs it', async () => {
    const pid = Number(/process_id:(\d+)/.exec(String(await bench.read('INFO', 'server')))?.[1]);
    process.kill(pid, 'SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const again = await RedisBench.ready(2);
    expect(again).not.toBe(bench);
    expect(await again.read('PING')).toBe('PONG');
    bench = again;
  });

  it('reset empties the data and the script cache, and forgets WATCHes', async () => {
    await as(0, () => a.set('k', 'v', 'PX', 1000));
    const sha = await as(0, () => a.script('LOAD', 'return 1'));
    await as(0, () => a.watch('w'));
    await fresh();
    expect(await bench.read('DBSIZE')).toBe(0);
    await expect(as(0, () => a.evalsha(String(sha), 0))).rejects.toThrow(/NOSCRIPT/);
    await as(1, () => b.set('w', 'changed'));
    expect(await as(0, () => a.multi().set('w', 'mine').exec())).toEqual(['OK']);
  });
});
