import { spawnSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPostgres, stopPostgres } from '../src/postgres/server.js';
import { tempDir } from './temp.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const BIN = path.join(ROOT, 'dist', 'bin.js');

/** A learner's own server: the embedded one, started by this test and named by DATABASE_URL. */
let url = '';
beforeAll(async () => {
  delete process.env.DATABASE_URL;
  url = (await getPostgres()).url;
});
afterAll(() => stopPostgres());

async function sql<T extends pg.QueryResultRow>(text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, params)).rows;
  } finally {
    await client.end();
  }
}

const ours = async () =>
  (await sql<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'racelings\\_%'"))
    .map((row) => row.datname)
    .sort();

function checkWithdraw(databaseUrl = url): number | null {
  const ws = path.join(tempDir('dburl'), 'ws');
  expect(spawnSync(process.execPath, [BIN, 'init', ws]).status).toBe(0);
  copyFileSync(
    path.join(ROOT, 'solutions/withdraw/withdraw.ts'),
    path.join(ws, 'exercises/withdraw/withdraw.ts'),
  );
  return spawnSync(process.execPath, [BIN, 'check', 'withdraw', '--workspace', ws], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
  }).status;
}

describe('a DATABASE_URL server', () => {
  it('keeps no database of the checks run on it', async () => {
    const before = await ours();
    expect(checkWithdraw()).toBe(0);
    expect(checkWithdraw()).toBe(0);
    expect(await ours()).toEqual(before);
  });

  it('loses the stale databases of a racelings that was killed, and only those', async () => {
    const old = new Date(Date.now() - 3600_000).toISOString();
    const marked = async (name: string, made: string) => {
      await sql(`CREATE DATABASE ${name}`);
      await sql(`COMMENT ON DATABASE ${name} IS 'racelings grading database, made ${made}'`);
    };
    await marked('racelings_t_stale', old);
    await marked('racelings_t_recent', new Date().toISOString());
    await marked('racelings_t_busy', old);
    await sql('CREATE DATABASE racelings_t_someone_elses');
    const busyUrl = new URL(url);
    busyUrl.pathname = '/racelings_t_busy';
    const busy = new pg.Client({ connectionString: busyUrl.toString() });
    await busy.connect();
    try {
      expect(checkWithdraw()).toBe(0);
      expect(await ours()).toEqual(['racelings_t_busy', 'racelings_t_recent', 'racelings_t_someone_elses']);
    } finally {
      await busy.end();
      for (const name of await ours()) await sql(`DROP DATABASE ${name}`);
    }
  });

  it('grades as a role that may not change lock settings: the server keeps its own', async () => {
    await sql("CREATE ROLE racelings_t_learner LOGIN CREATEDB PASSWORD 'learner'");
    const learner = new URL(url);
    learner.username = 'racelings_t_learner';
    learner.password = 'learner';
    try {
      expect(checkWithdraw(learner.toString())).toBe(0);
    } finally {
      await sql('DROP ROLE racelings_t_learner');
    }
  });
});
