import { accessSync, constants } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as pause } from 'node:timers/promises';
import type { Tier } from '../course/types.js';
import { isUserError, UserError } from '../errors.js';
import type { ResultPromise } from '../processes/execa.js';
import { registerService, releaseService } from '../processes/services.js';
import type { Keeper } from './keeper.js';

/** A Redis server that checks and labs can use. */
export interface RedisServer {
  /** How a client reaches it: the private server's unix socket, or a `redis://` URL. */
  address: { socket: string } | { url: string };
  source: 'private' | 'REDIS_URL';
  /** The server's own version, e.g. "7.0.15". */
  version: string;
  /** Where it is, for people: "unix socket /tmp/racelings-redis-x/redis.sock" or the URL without its password. */
  where: string;
}

/** One line each: how to install a Redis racelings can start or reach. */
export const HOW_TO_GET_REDIS: readonly string[] = [
  'Debian/Ubuntu: sudo apt-get install redis-server',
  'macOS: brew install redis',
  'a container: docker run -d -p 6379:6379 redis:7, then set REDIS_URL',
];

/** How to point racelings at a Redis of your own; it empties the database it uses. */
export const REDIS_URL_EXAMPLE = 'export REDIS_URL=redis://localhost:6379/15';

/** Whether this machine can give racelings a Redis, found without starting anything. */
export type RedisAvailability =
  | { available: true; via: 'REDIS_URL' | 'redis-server'; detail: string }
  | { available: false; reason: string; howTo: readonly string[] };

/** The one-line message of a machine without Redis. */
export const REDIS_MISSING =
  'Redis is not available: there is no redis-server on PATH and REDIS_URL is not set';

/** "Redis is not available": a machine problem (exit 2), with how to get Redis in its hint. */
export class RedisUnavailable extends UserError {
  constructor(reason = REDIS_MISSING) {
    super(
      reason,
      `install it (${HOW_TO_GET_REDIS.join(' · ')}), or point REDIS_URL at an empty database of a server you have (${REDIS_URL_EXAMPLE})`,
    );
    this.name = 'RedisUnavailable';
  }
}

/** The first executable called `name` in the folders of PATH, or null. */
function onPath(name: string, env: NodeJS.ProcessEnv): string | null {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not in this folder.
    }
  }
  return null;
}

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(not a URL)';
  }
}

/**
 * Can this machine run the redis exercises? REDIS_URL set, or a `redis-server` on PATH. Cheap
 * (no process, no connection): for `list` and the tutor's screens. `getRedis` finds out for sure.
 */
export function redisAvailability(env: NodeJS.ProcessEnv = process.env): RedisAvailability {
  if (env.REDIS_URL) return { available: true, via: 'REDIS_URL', detail: redactUrl(env.REDIS_URL) };
  const binary = onPath('redis-server', env);
  if (binary) return { available: true, via: 'redis-server', detail: binary };
  return { available: false, reason: REDIS_MISSING, howTo: HOW_TO_GET_REDIS };
}

/**
 * The service a tier of exercises lacks on this machine, for the screens that list exercises:
 * 'Redis' for the redis tier without a Redis, null otherwise.
 */
export function missingService(tier: Tier, env: NodeJS.ProcessEnv = process.env): string | null {
  return tier === 'redis' && !redisAvailability(env).available ? 'Redis' : null;
}

/** The few calls racelings makes on a node-redis client; replies are RESP2 values as Redis sends them. */
export interface RedisConnection {
  sendCommand(args: string[]): Promise<unknown>;
  destroy(): void;
}

/**
 * A new connection to `server`, speaking RESP2 (replies as the Redis documentation shows them:
 * strings, integers, arrays, null). It never reconnects behind our back: a lost connection is an
 * error. Rejects with the client's error when the server does not answer.
 */
export async function connectRedis(address: RedisServer['address']): Promise<RedisConnection> {
  // Loaded on first use: every screen that lists exercises imports this module for missingService.
  const { createClient } = await import('@redis/client');
  const socket = { reconnectStrategy: false as const, connectTimeout: 5_000 };
  const client =
    'socket' in address
      ? createClient({ RESP: 2, socket: { ...socket, path: address.socket }, disableOfflineQueue: true })
      : createClient({ RESP: 2, url: address.url, socket, disableOfflineQueue: true });
  client.on('error', () => undefined);
  await client.connect();
  return client as unknown as RedisConnection;
}

/** "7.0.15", from INFO server. */
async function serverVersion(connection: RedisConnection): Promise<string> {
  const info = String(await connection.sendCommand(['INFO', 'server']));
  return /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown';
}

interface Running {
  server: RedisServer;
  stop(): Promise<void>;
  /** Settles when a private server exits, however that happens. */
  exited?: Promise<unknown>;
}

let running: Promise<Running> | undefined;

async function openRedisUrl(url: string): Promise<Running> {
  try {
    const connection = await connectRedis({ url });
    try {
      const version = await serverVersion(connection);
      return {
        server: { address: { url }, source: 'REDIS_URL', version, where: redactUrl(url) },
        stop: async () => undefined,
      };
    } finally {
      connection.destroy();
    }
  } catch (error) {
    throw new UserError(
      `Cannot use the Redis server in REDIS_URL (${redactUrl(url)}): ${(error as Error).message}`,
      'Check that the server runs and the URL is right (redis://host:port/db), or unset REDIS_URL to let racelings start redis-server.',
    );
  }
}

/** A unix socket path must fit in sockaddr_un (108 bytes on Linux, 104 on macOS). */
const MAX_SOCKET_PATH = 100;
const STARTUP_TIMEOUT_MS = 5_000;

/** A loopback port nobody listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** The last meaningful line redis-server logged, for a failure message. */
async function lastLogLine(dir: string): Promise<string | null> {
  const log = await fs.readFile(path.join(dir, 'redis.log'), 'utf8').catch(() => '');
  const lines = log.split('\n').filter((line) => line.trim() !== '');
  return lines.at(-1)?.replace(/^\d+:[A-Z] [^*#.-]*[*#.-] /, '') ?? null;
}

/** Wait until the server answers PING, or fail with what it logged. */
async function ready(
  address: RedisServer['address'],
  subprocess: ResultPromise,
  dir: string,
): Promise<RedisConnection> {
  let exited = false;
  void subprocess.then(() => {
    exited = true;
  });
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  for (;;) {
    if (exited) throw new Error((await lastLogLine(dir)) ?? 'redis-server exited at once');
    try {
      return await connectRedis(address);
    } catch (error) {
      if (Date.now() > deadline) {
        throw new Error(
          `it did not answer within ${STARTUP_TIMEOUT_MS / 1000} s (${(error as Error).message})`,
        );
      }
      await pause(10);
    }
  }
}

/**
 * Start redis-server privately: no persistence, a fresh temporary folder, a unix socket with no TCP
 * port at all (a free loopback port when the folder's path is too long for a socket). Detached, so
 * a Ctrl-C or a grader's group kill leaves it to us; stopped by our 'exit' hook, by `stopRedis`, or
 * by the keeper when we die without either (SIGKILL).
 */
async function startPrivate(binary: string): Promise<Running> {
  const [{ execa }, { REDIS_DIR_PREFIX, startKeeper }] = await Promise.all([
    import('../processes/execa.js'),
    import('./keeper.js'),
  ]);
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), REDIS_DIR_PREFIX));
  const keeper: Keeper = startKeeper(dir);
  const socket = path.join(dir, 'redis.sock');
  const tcp = socket.length > MAX_SOCKET_PATH ? await freePort() : null;
  const listen =
    tcp === null
      ? ['--port', '0', '--unixsocket', socket, '--unixsocketperm', '700']
      : ['--port', String(tcp), '--bind', '127.0.0.1'];
  const address: RedisServer['address'] = tcp === null ? { socket } : { url: `redis://127.0.0.1:${tcp}` };
  const args = [
    ...listen,
    ...['--save', '', '--appendonly', 'no', '--dir', dir, '--logfile', path.join(dir, 'redis.log')],
    ...['--daemonize', 'no', '--databases', '1'],
  ];
  const subprocess = execa(binary, args, {
    detached: true,
    cleanup: false,
    stdio: 'ignore',
    reject: false,
  });
  subprocess.unref();
  const pid = subprocess.pid;
  if (pid) {
    keeper.watch(pid);
    // Kept by the grader's sweep of strays (src/processes/services.ts), like the PostgreSQL server.
    registerService(pid);
  }
  const onExit = () => subprocess.kill('SIGTERM');
  process.on('exit', onExit);
  let stopping: Promise<void> | undefined;
  const stop = () => {
    process.off('exit', onExit);
    stopping ??= (async () => {
      subprocess.kill('SIGTERM');
      const force = setTimeout(() => subprocess.kill('SIGKILL'), 5_000);
      await subprocess.catch(() => undefined);
      clearTimeout(force);
      if (pid) releaseService(pid);
      await fs.rm(dir, { recursive: true, force: true, maxRetries: 5 });
      keeper.release();
    })();
    return stopping;
  };
  try {
    const connection = await ready(address, subprocess, dir);
    try {
      const version = await serverVersion(connection);
      const where = tcp === null ? `unix socket ${socket}` : `127.0.0.1:${tcp}`;
      return { server: { address, source: 'private', version, where }, stop, exited: subprocess };
    } finally {
      connection.destroy();
    }
  } catch (error) {
    await stop();
    throw new UserError(
      `Could not start redis-server (${binary}): ${(error as Error).message}`,
      'Run `racelings doctor`; or set REDIS_URL to a Redis server you can use.',
    );
  }
}

/**
 * The Redis to use: REDIS_URL when set (never starting one), else a private `redis-server` from
 * PATH, started on first need and kept warm for this process until `stopRedis()` or exit.
 * Throws `RedisUnavailable` when neither exists, and a `UserError` when the one there does not work.
 */
export async function getRedis(): Promise<RedisServer> {
  if (!running) {
    const url = process.env.REDIS_URL;
    const binary = url ? null : onPath('redis-server', process.env);
    const attempt = url
      ? openRedisUrl(url)
      : binary
        ? startPrivate(binary)
        : Promise.reject(new RedisUnavailable());
    running = attempt;
    const forget = () => {
      if (running === attempt) running = undefined;
    };
    // A server that fails to start, or dies under us, is started afresh on the next request.
    attempt.then(
      (started) =>
        started.exited?.then(() => {
          forget();
          return started.stop();
        }),
      forget,
    );
  }
  return (await running).server;
}

/** Stop the private server, if this process started one, and remove its folder. */
export async function stopRedis(): Promise<void> {
  const current = running;
  running = undefined;
  const state = await current?.catch(() => undefined);
  await state?.stop();
}

/** A key only racelings writes, in a REDIS_URL database, saying racelings may empty that database. */
const CLAIM_KEY = 'racelings:this-database-is-emptied-by-racelings';

/**
 * Empty the database `connection` uses, so a check or a lab starts from nothing. A REDIS_URL
 * database is emptied only when it is empty already or racelings marked it as its own; throws a
 * `UserError` when it holds other data.
 */
export async function emptyDatabase(connection: RedisConnection, server: RedisServer): Promise<void> {
  if (server.source === 'REDIS_URL') {
    const size = Number(await connection.sendCommand(['DBSIZE']));
    if (size > 0 && Number(await connection.sendCommand(['EXISTS', CLAIM_KEY])) === 0) {
      throw new UserError(
        `The Redis database in REDIS_URL (${server.where}) holds ${size} keys, and racelings empties the database it uses`,
        'Point REDIS_URL at an empty database of its own, e.g. redis://localhost:6379/15.',
      );
    }
  }
  await connection.sendCommand(['FLUSHDB']);
  if (server.source === 'REDIS_URL') await connection.sendCommand(['SET', CLAIM_KEY, '1']);
}

/** What `racelings doctor` says of Redis; `howTo` is set when there is none: one way to get it a line. */
export interface RedisProbe {
  ok: boolean;
  detail: string;
  howTo?: readonly string[];
}

/** For `racelings doctor`: which Redis, its version, whether a command works; never throws. */
export async function probeRedis(): Promise<RedisProbe> {
  try {
    const server = await getRedis();
    const connection = await connectRedis(server.address);
    try {
      const pong = await connection.sendCommand(['PING']);
      const how =
        server.source === 'private' ? `redis-server started by racelings, ${server.where}` : server.where;
      return pong === 'PONG'
        ? { ok: true, detail: `Redis ${server.version} (${how}): PING works` }
        : { ok: false, detail: `Redis ${server.version} (${how}) answered PING with ${String(pong)}` };
    } finally {
      connection.destroy();
    }
  } catch (error) {
    if (error instanceof RedisUnavailable) {
      return {
        ok: false,
        detail: error.message,
        howTo: [...HOW_TO_GET_REDIS, `a Redis you have: ${REDIS_URL_EXAMPLE} (its database is emptied)`],
      };
    }
    if (isUserError(error))
      return { ok: false, detail: [error.message, error.hint].filter(Boolean).join('. ') };
    return { ok: false, detail: `Redis does not work here: ${(error as Error).message}` };
  }
}
