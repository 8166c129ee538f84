import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../src/errors.js';
import { socketFolder } from '../src/postgres/cluster.js';
import { freshDatabase, getPostgres, probePostgres, stopPostgres } from '../src/postgres/server.js';
import { eventually, isRunning } from './processes.js';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

async function dataDirectory(url: string): Promise<string> {
  const [row] = await query<{ setting: string }>(
    url,
    "SELECT setting FROM pg_settings WHERE name = 'data_directory'",
  );
  return row!.setting;
}

const postmasterPid = (dataDir: string) =>
  Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);

/** The fixture, transpiled to plain JS under node_modules/.cache so a child `node` can import it. */
let childDir = '';
async function transpileFixture(): Promise<void> {
  await fs.mkdir(path.join(root, 'node_modules', '.cache'), { recursive: true });
  childDir = await fs.mkdtemp(path.join(root, 'node_modules', '.cache', 'racelings-postgres-test-'));
  const pending = ['src/postgres/server.ts'];
  const seen = new Set<string>();
  for (let file = pending.pop(); file; file = pending.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    const source = await fs.readFile(path.join(root, file), 'utf8');
    for (const [, relative] of source.matchAll(/from '(\.[^']+)\.js'/g)) {
      pending.push(path.join(path.dirname(file), `${relative}.ts`));
    }
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    });
    const out = path.join(childDir, file.replace(/\.ts$/, '.js'));
    await fs.mkdir(path.dirname(out), { recursive: true });
    await fs.writeFile(out, outputText);
  }
  await fs.writeFile(
    path.join(childDir, 'child.mjs'),
    `import pg from 'pg';
import { getPostgres } from './src/postgres/server.js';
const server = await getPostgres();
const client = new pg.Client({ connectionString: server.url });
await client.connect();
const { rows } = await client.query("SELECT setting FROM pg_settings WHERE name = 'data_directory'");
await client.end();
process.stderr.write(JSON.stringify({ source: server.source, dataDir: rows[0].setting }) + '\\n');
if (process.argv[2] === 'stay') setInterval(() => {}, 1000);
`,
  );
}

interface ChildRun {
  report: Promise<{ source: string; dataDir: string }>;
  exit: Promise<number | null>;
  stdout: () => string;
  kill: (signal: NodeJS.Signals) => void;
}

function runChild(mode: 'stay' | 'exit', env: NodeJS.ProcessEnv = {}): ChildRun {
  const child = spawn(process.execPath, [path.join(childDir, 'child.mjs'), mode], {
    env: { ...process.env, DATABASE_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  const report = new Promise<{ source: string; dataDir: string }>((resolve, reject) => {
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      const line = stderr.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve(JSON.parse(line));
    });
    child.on('close', () => reject(new Error(`child ended without a report: ${stderr}`)));
  });
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { report, exit, stdout: () => stdout, kill: (signal) => child.kill(signal) };
}

describe('the embedded PostgreSQL fixture', () => {
  const logged: string[] = [];

  beforeAll(async () => {
    delete process.env.DATABASE_URL;
    await transpileFixture();
  });

  afterAll(async () => {
    await stopPostgres();
    await fs.rm(childDir, { recursive: true, force: true });
  });

  it('starts a server that answers a query, once per process', async () => {
    const server = await getPostgres({ log: (line) => logged.push(line) });
    expect(server.source).toBe('embedded');
    expect(server.version).toMatch(/^\d+\.\d+/);
    const [row] = await query<{ sum: number }>(server.url, 'SELECT 20 + 22 AS sum');
    expect(row?.sum).toBe(42);
    expect((await getPostgres()).url).toBe(server.url);
  });

  it("is reached through its Unix-domain socket, in the server's own folder", async () => {
    const server = await getPostgres();
    const folder = new URL(server.url).searchParams.get('host');
    expect(folder).toBe(path.dirname(await dataDirectory(server.url)));
    // inet_server_addr() is null on a Unix-domain connection, the loopback address over TCP.
    const [row] = await query<{ addr: string | null }>(server.url, 'SELECT inet_server_addr() AS addr');
    expect(row?.addr).toBeNull();
  });

  it('listens on TCP only when the socket path would not fit in a sockaddr_un', () => {
    expect(socketFolder('/dev/shm/racelings-pg-1-abc', 54321)).toBe('/dev/shm/racelings-pg-1-abc');
    expect(socketFolder(`/tmp/${'x'.repeat(90)}`, 54321)).toBeNull();
  });

  it('routes server logs to the log option', () => {
    expect(logged.some((line) => line.includes('database system is ready to accept connections'))).toBe(true);
  });

  it('gives each freshDatabase its own tables, and drop removes it', async () => {
    const server = await getPostgres();
    const a = await freshDatabase(server);
    const b = await freshDatabase(server);
    expect(a.url).not.toBe(b.url);
    await query(a.url, 'CREATE TABLE mine (id int); INSERT INTO mine VALUES (1)');
    expect(await query(a.url, 'SELECT * FROM mine')).toEqual([{ id: 1 }]);
    await expect(query(b.url, 'SELECT * FROM mine')).rejects.toThrow(/does not exist/);
    const name = new URL(a.url).pathname.slice(1);
    await a.drop();
    await b.drop();
    expect(await query(server.url, `SELECT datname FROM pg_database WHERE datname = '${name}'`)).toEqual([]);
  });

  it('reports itself to doctor', async () => {
    const probe = await probePostgres();
    expect(probe).toMatchObject({ ok: true, source: 'embedded' });
    expect(probe.detail).toMatch(/^PostgreSQL \d+\.\d+ \(embedded, on 127\.0\.0\.1:\d+\): a query works$/);
  });

  it('uses DATABASE_URL when set, and starts no server of its own', async () => {
    const server = await getPostgres();
    const child = runChild('exit', { DATABASE_URL: server.url });
    expect(await child.report).toEqual({ source: 'DATABASE_URL', dataDir: await dataDirectory(server.url) });
    expect(await child.exit).toBe(0);
  });

  it('stopping removes the server and its temporary directory', async () => {
    const server = await getPostgres();
    const dataDir = await dataDirectory(server.url);
    const pid = postmasterPid(dataDir);
    await stopPostgres();
    expect(isRunning(pid)).toBe(false);
    expect(existsSync(path.dirname(dataDir))).toBe(false);
    const again = await getPostgres();
    expect(again.url).not.toBe(server.url);
    await stopPostgres();
  });

  it('a server that dies is cleaned up and started afresh on the next need', async () => {
    const server = await getPostgres();
    const dataDir = await dataDirectory(server.url);
    const pid = postmasterPid(dataDir);
    // A pid of 0 would signal this whole process group.
    expect(pid).toBeGreaterThan(0);
    process.kill(pid, 'SIGTERM');
    expect(await eventually(() => !existsSync(path.dirname(dataDir)))).toBe(true);
    const again = await getPostgres();
    expect(again.url).not.toBe(server.url);
    expect(await query<{ one: number }>(again.url, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
    await stopPostgres();
  });

  it('an unreachable DATABASE_URL is a UserError that hides the password', async () => {
    process.env.DATABASE_URL = 'postgresql://learner:hunter2@127.0.0.1:1/nowhere';
    try {
      const error = await getPostgres().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UserError);
      expect((error as UserError).message).toContain('DATABASE_URL');
      expect((error as UserError).message).not.toContain('hunter2');
      expect((error as UserError).hint).toMatch(/unset DATABASE_URL/);
      const probe = await probePostgres();
      expect(probe.ok).toBe(false);
      expect(probe.source).toBe('DATABASE_URL');
      expect(probe.detail).not.toContain('\n');
    } finally {
      delete process.env.DATABASE_URL;
    }
  });

  it('a process that exits normally leaves no server, no directory and nothing on stdout', async () => {
    const child = runChild('exit');
    const { dataDir } = await child.report;
    const pid = postmasterPid(dataDir);
    expect(await child.exit).toBe(0);
    expect(child.stdout()).toBe('');
    expect(await eventually(() => !isRunning(pid) && !existsSync(path.dirname(dataDir)))).toBe(true);
  });

  it.each(['SIGKILL', 'SIGTERM'] as const)(
    'a parent killed by %s leaves no server and no directory',
    async (signal) => {
      const child = runChild('stay');
      const { dataDir } = await child.report;
      const pid = postmasterPid(dataDir);
      expect(isRunning(pid)).toBe(true);
      child.kill(signal);
      await child.exit;
      expect(await eventually(() => !isRunning(pid) && !existsSync(path.dirname(dataDir)))).toBe(true);
    },
  );
});
