/**
 * The notes' "Redis lock gotchas", run live on a real Redis: each gotcha as a fixed interleaving of
 * clients A, B and C, once without the fix and once with it, judged by what the server then holds.
 * Time passing is a step of the script: the lab expires every key that has a TTL (PEXPIRE key 0),
 * as the server would once the TTL ran out, instead of waiting seconds of real time.
 */
import { commandText, replyText } from '../redis/commands.js';
import { connectRedis, emptyDatabase, type RedisConnection, type RedisServer } from '../redis/server.js';

export type GotchaId = 'lease-pause' | 'foreign-release' | 'setnx-crash';
export type Variant = 'without the fix' | 'with the fix';
export const VARIANTS: readonly Variant[] = ['without the fix', 'with the fix'];

export interface Gotcha {
  id: GotchaId;
  name: string;
  /** The fix the second run applies, in a few words. */
  fix: string;
  /** The exercise that practises it. */
  exercise: string;
}

export const GOTCHAS: readonly Gotcha[] = [
  {
    id: 'lease-pause',
    name: 'a lease expires while its holder is paused',
    fix: 'a fencing token the storage checks',
    exercise: 'fencing-token',
  },
  {
    id: 'foreign-release',
    name: "a release deletes another's lock",
    fix: 'compare-and-delete in one Lua script',
    exercise: 'lock-ownership',
  },
  {
    id: 'setnx-crash',
    name: 'SETNX, then a crash before EXPIRE',
    fix: 'SET key token NX PX ttl, one command',
    exercise: 'lock-ownership',
  },
];

/** One step of a script: who did what, and what came back. */
export interface LabStep {
  /** A, B, C (clients) or "clock" (time passing). */
  actor: string;
  action: string;
  result: string;
}

export interface LocksLabResult {
  gotcha: GotchaId;
  variant: Variant;
  /** Whether the gotcha's harm happened: the table's verdict. */
  observed: 'occurs' | 'prevented';
  /** One sentence: what the server's state shows. */
  how: string;
  steps: LabStep[];
}

const LOCK = 'lock:report';
const TTL_MS = 10_000;
const RELEASE =
  "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";
/** Acquire and take the next fencing token in one step (tokens from this Redis: see the lab's legend). */
const ACQUIRE_WITH_TOKEN =
  "if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return redis.call('INCR', KEYS[2]) end return false";
/** The storage's fenced write: refuse a token lower than the highest it accepted. */
const FENCED_WRITE =
  "local last = tonumber(redis.call('GET', KEYS[2]) or '0') if tonumber(ARGV[2]) < last then return 0 end redis.call('SET', KEYS[2], ARGV[2]) redis.call('SET', KEYS[1], ARGV[1]) return 1";

/** The clients of one script, each on its own connection, writing down every step. */
class Script {
  readonly steps: LabStep[] = [];
  private constructor(private readonly clients: Map<string, RedisConnection>) {}

  static async open(server: RedisServer, names: string[]): Promise<Script> {
    const clients = new Map<string, RedisConnection>();
    for (const name of names) clients.set(name, await connectRedis(server.address));
    const script = new Script(clients);
    try {
      await emptyDatabase(clients.get(names[0]!)!, server);
    } catch (error) {
      script.close();
      throw error;
    }
    return script;
  }

  /** Client `actor` sends `command`; an error reply is written down as the server said it. */
  async send(actor: string, ...command: (string | number)[]): Promise<unknown> {
    const args = command.map(String);
    let reply: unknown;
    try {
      reply = await this.clients.get(actor)!.sendCommand(args);
    } catch (error) {
      reply = error instanceof Error ? error : new Error(String(error));
    }
    this.steps.push({ actor, action: commandText(args), result: replyText(reply) });
    return reply;
  }

  note(actor: string, action: string): void {
    this.steps.push({ actor, action, result: '' });
  }

  /** Time passes beyond every TTL: each key that has one expires; a key without one stays. */
  async timePasses(what: string): Promise<void> {
    const admin = [...this.clients.values()][0]!;
    // racelings' own mark on a REDIS_URL database is no part of the script.
    const all = (await admin.sendCommand(['KEYS', '*'])) as string[];
    const keys = all.filter((key) => !key.startsWith('racelings:')).sort();
    const expired: string[] = [];
    const forever: string[] = [];
    for (const key of keys) {
      const ttl = Number(await admin.sendCommand(['PTTL', key]));
      if (ttl >= 0) {
        await admin.sendCommand(['PEXPIRE', key, '0']);
        expired.push(key);
      } else forever.push(key);
    }
    const parts = [
      ...(expired.length ? [`${expired.join(', ')} expired`] : []),
      ...(forever.length ? [`${forever.join(', ')} has no TTL and stays`] : []),
    ];
    this.steps.push({ actor: 'clock', action: what, result: parts.join('; ') || 'nothing expires' });
  }

  /** Read as an onlooker, without writing it down. */
  peek(...command: string[]): Promise<unknown> {
    return [...this.clients.values()][0]!.sendCommand(command);
  }

  close(): void {
    for (const client of this.clients.values()) client.destroy();
  }
}

type Judged = Pick<LocksLabResult, 'observed' | 'how'>;

/** A holds the lock, pauses past its TTL, B takes over and writes; then A wakes up and writes. */
async function leasePause(script: Script, fixed: boolean): Promise<Judged> {
  if (!fixed) {
    await script.send('A', 'SET', LOCK, 'A', 'NX', 'PX', TTL_MS);
    script.note('A', 'pauses (a GC pause, a slow call)');
    await script.timePasses(`${TTL_MS / 1000} s pass`);
    await script.send('B', 'SET', LOCK, 'B', 'NX', 'PX', TTL_MS);
    await script.send('B', 'SET', 'report', "B's report");
    script.note('A', 'wakes up, still sure it holds the lock');
    await script.send('A', 'SET', 'report', "A's stale report");
  } else {
    const keys = [LOCK, 'lock:report:token'];
    const tokenA = await script.send('A', 'EVAL', ACQUIRE_WITH_TOKEN, 2, ...keys, 'A', TTL_MS);
    script.note('A', 'pauses (a GC pause, a slow call)');
    await script.timePasses(`${TTL_MS / 1000} s pass`);
    const tokenB = await script.send('B', 'EVAL', ACQUIRE_WITH_TOKEN, 2, ...keys, 'B', TTL_MS);
    await script.send('B', 'EVAL', FENCED_WRITE, 2, 'report', 'report:token', "B's report", String(tokenB));
    script.note('A', 'wakes up, still sure it holds the lock');
    await script.send(
      'A',
      'EVAL',
      FENCED_WRITE,
      2,
      'report',
      'report:token',
      "A's stale report",
      String(tokenA),
    );
  }
  const report = await script.peek('GET', 'report');
  return report === "A's stale report"
    ? {
        observed: 'occurs',
        how: "A wrote after its lease had expired and overwrote B's report: a zombie write.",
      }
    : {
        observed: 'prevented',
        how: `The storage refused A's write: its token was older than B's. The report is ${replyText(report)}.`,
      };
}

/** A's lease expires, B takes the lock, then A finishes and releases; C then tries the lock. */
async function foreignRelease(script: Script, fixed: boolean): Promise<Judged> {
  await script.send('A', 'SET', LOCK, 'token-A', 'NX', 'PX', TTL_MS);
  script.note('A', 'works longer than its lease');
  await script.timePasses(`${TTL_MS / 1000} s pass`);
  await script.send('B', 'SET', LOCK, 'token-B', 'NX', 'PX', TTL_MS);
  script.note('A', 'finishes and releases');
  if (fixed) await script.send('A', 'EVAL', RELEASE, 1, LOCK, 'token-A');
  else await script.send('A', 'DEL', LOCK);
  const taken = await script.send('C', 'SET', LOCK, 'token-C', 'NX', 'PX', TTL_MS);
  return taken === 'OK'
    ? { observed: 'occurs', how: "A's DEL removed B's lock, so C took it while B still worked: two holders." }
    : {
        observed: 'prevented',
        how: "A's release saw token-B, not its own, and deleted nothing: B keeps the lock.",
      };
}

/** A takes the lock in two commands and dies between them; later, B wants the lock. */
async function setnxCrash(script: Script, fixed: boolean): Promise<Judged> {
  if (fixed) await script.send('A', 'SET', LOCK, 'token-A', 'NX', 'PX', TTL_MS);
  else await script.send('A', 'SETNX', LOCK, 'token-A');
  script.note('A', fixed ? 'crashes' : `crashes before EXPIRE ${LOCK} ${TTL_MS / 1000}`);
  await script.timePasses('a day passes');
  const taken = await script.send('B', 'SET', LOCK, 'token-B', 'NX', 'PX', TTL_MS);
  const ttl = await script.peek('PTTL', LOCK);
  return taken === 'OK'
    ? { observed: 'prevented', how: "The lock expired with A's lease; B acquired it." }
    : {
        observed: 'occurs',
        how: `The lock has no TTL (PTTL ${String(ttl)}): nobody will ever acquire it again.`,
      };
}

const SCRIPTS: Record<GotchaId, { clients: string[]; run(script: Script, fixed: boolean): Promise<Judged> }> =
  {
    'lease-pause': { clients: ['A', 'B'], run: leasePause },
    'foreign-release': { clients: ['A', 'B', 'C'], run: foreignRelease },
    'setnx-crash': { clients: ['A', 'B'], run: setnxCrash },
  };

/** Run one gotcha, with or without its fix, on an emptied database of `server`. */
export async function runGotcha(
  server: RedisServer,
  gotcha: GotchaId,
  variant: Variant,
): Promise<LocksLabResult> {
  const { clients, run } = SCRIPTS[gotcha];
  const script = await Script.open(server, clients);
  try {
    const judged = await run(script, variant === 'with the fix');
    return { gotcha, variant, ...judged, steps: script.steps };
  } finally {
    script.close();
  }
}

/**
 * Every gotcha, without and then with its fix, in table order; `onResult` hears each as it ends.
 * The scripts run one after another: they share the server's database, which each empties first.
 */
export async function runLocksLab(
  server: RedisServer,
  onResult: (result: LocksLabResult) => void = () => undefined,
): Promise<LocksLabResult[]> {
  const results: LocksLabResult[] = [];
  for (const gotcha of GOTCHAS) {
    for (const variant of VARIANTS) {
      const result = await runGotcha(server, gotcha.id, variant);
      results.push(result);
      onResult(result);
    }
  }
  return results;
}
