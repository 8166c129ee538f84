import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../src/errors.js';
import {
  connectRedis,
  getRedis,
  probeRedis,
  type RedisServer,
  RedisUnavailable,
  redisAvailability,
  stopRedis,
} from '../src/redis/server.js';
import { eventually, isRunning } from './processes.js';
import { tempDir } from './temp.js';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/** The server's pid and folder, as it reports them. */
async function whereabouts(server: RedisServer): Promise<{ pid: number; dir: string }> {
  const connection = await connectRedis(server.address);
  try {
    const info = String(await connection.sendCommand(['INFO', 'server']));
    const dir = (await connection.sendCommand(['CONFIG', 'GET', 'dir'])) as string[];
    return { pid: Number(/process_id:(\d+)/.exec(info)?.[1]), dir: dir[1]! };
  } finally {
    connection.destroy();
  }
}

/**
 * A racelings process that starts its private server and reports it: the built module in dist/
 * (`npm test` builds first), so a plain `node` can run it.
 */
function racelingsChild(mode: 'stay' | 'exit'): {
  report: Promise<{ pid: number; dir: string }>;
  child: ChildProcess;
} {
  const script = `
    import { getRedis, connectRedis } from ${JSON.stringify(path.join(root, 'dist/redis/server.js'))};
    const server = await getRedis();
    const c = await connectRedis(server.address);
    const info = String(await c.sendCommand(['INFO', 'server']));
    const dir = (await c.sendCommand(['CONFIG', 'GET', 'dir']))[1];
    c.destroy();
    process.stdout.write(JSON.stringify({ pid: Number(/process_id:(\\d+)/.exec(info)[1]), dir }) + '\\n');
    if (${JSON.stringify(mode)} === 'stay') setInterval(() => {}, 1000);
  `;
  const env = { ...process.env };
  delete env.REDIS_URL;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const report = new Promise<{ pid: number; dir: string }>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]!));
    });
    child.on('close', () => reject(new Error('the child ended without a report')));
  });
  return { report, child };
}

/** A redis-server of the test's own on a loopback port, as a REDIS_URL server would be. */
async function ownServer(): Promise<{ url: string; stop: () => void }> {
  const port = await new Promise<number>((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
  const dir = tempDir('redis-own');
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    { stdio: 'ignore' },
  );
  const url = `redis://127.0.0.1:${port}/0`;
  for (let i = 0; i < 100; i++) {
    const answered = await connectRedis({ url }).then(
      (connection) => {
        connection.destroy();
        return true;
      },
      () => false,
    );
    if (answered) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { url, stop: () => child.kill('SIGTERM') };
}

describe('the Redis server', () => {
  const savedPath = process.env.PATH;
  beforeEach(async () => {
    delete process.env.REDIS_URL;
    process.env.PATH = savedPath;
    await stopRedis();
  });
  afterAll(async () => {
    process.env.PATH = savedPath;
    delete process.env.REDIS_URL;
    await stopRedis();
  });

  it('starts a private redis-server on a unix socket, once per process, with no persistence', async () => {
    const server = await getRedis();
    expect(server.source).toBe('private');
    expect(server.version).toMatch(/^\d+\.\d+/);
    expect(server.address).toEqual({ socket: expect.stringMatching(/racelings-redis-[^/]+\/redis\.sock$/) });
    expect(await getRedis()).toBe(server);
    const connection = await connectRedis(server.address);
    expect(await connection.sendCommand(['PING'])).toBe('PONG');
    expect(await connection.sendCommand(['CONFIG', 'GET', 'save'])).toEqual(['save', '']);
    expect(await connection.sendCommand(['CONFIG', 'GET', 'port'])).toEqual(['port', '0']);
    connection.destroy();
  });

  it('reports itself to doctor', async () => {
    const probe = await probeRedis();
    expect(probe.ok).toBe(true);
    expect(probe.detail).toMatch(
      /^Redis \d+\.\d+\.\d+ \(redis-server started by racelings, unix socket .*\): PING works$/,
    );
  });

  it('stopping ends the server and removes its folder; the next need starts a new one', async () => {
    const server = await getRedis();
    const { pid, dir } = await whereabouts(server);
    await stopRedis();
    expect(isRunning(pid)).toBe(false);
    expect(existsSync(dir)).toBe(false);
    const again = await getRedis();
    expect(again.address).not.toEqual(server.address);
  });

  it('a server that dies is cleaned up and started afresh on the next need', async () => {
    const server = await getRedis();
    const { pid, dir } = await whereabouts(server);
    process.kill(pid, 'SIGKILL');
    expect(await eventually(() => !existsSync(dir))).toBe(true);
    const again = await getRedis();
    expect(again.address).not.toEqual(server.address);
    const connection = await connectRedis(again.address);
    expect(await connection.sendCommand(['PING'])).toBe('PONG');
    connection.destroy();
  });

  it('leaves no server and no folder behind when racelings exits', async () => {
    const { report, child } = racelingsChild('exit');
    const { pid, dir } = await report;
    await new Promise((resolve) => child.on('close', resolve));
    expect(await eventually(() => !isRunning(pid) && !existsSync(dir))).toBe(true);
  });

  it('leaves no server and no folder behind when racelings is killed with SIGKILL', async () => {
    const { report, child } = racelingsChild('stay');
    const { pid, dir } = await report;
    expect(isRunning(pid)).toBe(true);
    child.kill('SIGKILL');
    expect(await eventually(() => !isRunning(pid) && !existsSync(dir))).toBe(true);
  });

  it('without redis-server on PATH or REDIS_URL: "Redis is not available", with how to get it', async () => {
    process.env.PATH = tempDir('empty-path');
    expect(redisAvailability()).toMatchObject({ available: false });
    const error = await getRedis().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedisUnavailable);
    expect(error).toBeInstanceOf(UserError);
    const { message, hint, exitCode } = error as UserError;
    expect(message).toMatch(/^Redis is not available/);
    expect(message).not.toContain('\n');
    expect(hint).toContain('apt-get install redis-server');
    expect(hint).toContain('brew install redis');
    expect(hint).toContain('docker run');
    expect(hint).toContain('REDIS_URL');
    expect(exitCode).toBe(2);
    const probe = await probeRedis();
    expect(probe).toMatchObject({ ok: false, detail: expect.stringMatching(/^Redis is not available/) });
    expect(probe.howTo?.join('\n')).toMatch(
      /apt-get install redis-server\n.*brew install redis\n.*docker run .*\n.*REDIS_URL=/,
    );
  });

  it('uses the server in REDIS_URL when set, and starts none of its own', async () => {
    const own = await ownServer();
    try {
      process.env.REDIS_URL = own.url;
      process.env.PATH = tempDir('empty-path');
      expect(redisAvailability()).toMatchObject({ available: true, via: 'REDIS_URL' });
      const server = await getRedis();
      expect(server).toMatchObject({ source: 'REDIS_URL', address: { url: own.url } });
      expect(server.version).toMatch(/^\d+\.\d+/);
    } finally {
      await stopRedis();
      own.stop();
    }
  });

  it('a REDIS_URL that does not answer is a UserError that hides the password', async () => {
    process.env.REDIS_URL = 'redis://learner:hunter2@127.0.0.1:1/0';
    const error = (await getRedis().catch((e: unknown) => e)) as UserError;
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toContain('REDIS_URL');
    expect(error.message).not.toContain('hunter2');
  });
});
