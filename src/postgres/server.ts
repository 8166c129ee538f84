import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { isUserError, UserError } from '../errors.js';
import { onRelease } from '../processes/services.js';
import { locateBinaries } from './binaries.js';
import { type Cluster, startCluster } from './cluster.js';

/** A PostgreSQL server that checks and labs can use. */
export interface PgServer {
  url: string;
  source: 'embedded' | 'DATABASE_URL';
  /** The server's own version, e.g. "18.4". */
  version: string;
}

export interface GetPostgresOptions {
  /** Where the embedded server's log lines go; without it they are dropped. */
  log?: (line: string) => void;
}

interface Running {
  server: PgServer;
  cluster?: Cluster;
}

const logSinks = new Set<(line: string) => void>();
let running: Promise<Running> | undefined;

/** The URL without its password, for messages. */
function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(not a URL)';
  }
}

async function serverVersion(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    return rows[0]?.server_version ?? 'unknown';
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function connectDatabaseUrl(url: string): Promise<Running> {
  let version: string;
  try {
    version = await serverVersion(url);
  } catch (error) {
    throw new UserError(
      `Cannot use the PostgreSQL server in DATABASE_URL (${redact(url)}): ${(error as Error).message}`,
      'Check that the server runs and the URL is right, or unset DATABASE_URL to use the embedded server.',
    );
  }
  await sweepStaleDatabases(url).catch(() => undefined);
  return { server: { url, source: 'DATABASE_URL', version } };
}

async function startEmbedded(): Promise<Running> {
  const bins = await locateBinaries();
  const cluster = await startCluster(bins, (line) => {
    for (const sink of logSinks) sink(line);
  });
  // Clients reach the server through its Unix-domain socket when it has one (the `host` parameter
  // names the socket's folder; the port, its file); the URL still names the TCP address.
  const socket = cluster.socketDir ? `?host=${encodeURIComponent(cluster.socketDir)}` : '';
  const url = `postgresql://postgres:${encodeURIComponent(cluster.password)}@127.0.0.1:${cluster.port}/postgres${socket}`;
  // A server that dies under us is cleaned up, and started afresh on the next request.
  const started = running;
  void cluster.exited.then(() => {
    if (running === started) running = undefined;
    return cluster.stop();
  });
  try {
    return { server: { url, source: 'embedded', version: await serverVersion(url) }, cluster };
  } catch (error) {
    await cluster.stop();
    throw new UserError(
      `The embedded PostgreSQL server started but does not answer: ${(error as Error).message}`,
      'Run `racelings doctor`; or set DATABASE_URL to a PostgreSQL server you can use.',
    );
  }
}

/**
 * The server to use: DATABASE_URL when set (never starting one), else an embedded server started on
 * first need and kept warm for this process until `stopPostgres()` or exit.
 */
export async function getPostgres(opts: GetPostgresOptions = {}): Promise<PgServer> {
  if (opts.log) logSinks.add(opts.log);
  if (!running) {
    const url = process.env.DATABASE_URL;
    const attempt = url ? connectDatabaseUrl(url) : startEmbedded();
    running = attempt;
    attempt.catch(() => {
      if (running === attempt) running = undefined;
    });
  }
  return (await running).server;
}

/** Stop the embedded server (if this process started one) and remove its directory. */
export async function stopPostgres(): Promise<void> {
  const current = running;
  running = undefined;
  logSinks.clear();
  const state = await current?.catch(() => undefined);
  await state?.cluster?.stop();
}

/** Run `work` on a short-lived connection to `url`. */
async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export interface FreshDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * Every database racelings makes carries this comment, with its creation time after it: the sweep
 * drops only databases that are racelings' own, never one a person named racelings_something.
 */
const MARK = 'racelings grading database, made';
/** A database of ours older than this with no session on it belongs to a racelings that is gone. */
const STALE_AFTER_MS = 10 * 60_000;

/** Databases made by this process and not dropped yet: name → the server's admin URL. */
const made = new Map<string, string>();

/** End every session on `name`, then drop it (`DROP … WITH (FORCE)` needs PostgreSQL 13). */
async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await withClient(adminUrl, async (client) => {
    await client.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [name],
    );
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)}`);
  });
  made.delete(name);
}

/**
 * Drop the databases of racelings processes that are gone (killed before they could drop their
 * own): marked as ours, older than STALE_AFTER_MS, and with no session open on them — a live
 * racelings keeps its sessions open for as long as it uses a database.
 */
async function sweepStaleDatabases(url: string): Promise<void> {
  const stale = await withClient(url, async (client) => {
    const { rows } = await client.query<{ datname: string; mark: string }>(
      `SELECT d.datname, shobj_description(d.oid, 'pg_database') AS mark FROM pg_database d
       WHERE d.datname LIKE 'racelings_%' AND shobj_description(d.oid, 'pg_database') LIKE $1
         AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datname = d.datname)`,
      [`${MARK}%`],
    );
    const madeAt = (mark: string) => Date.parse(mark.slice(MARK.length).trim());
    return rows.filter((row) => Date.now() - madeAt(row.mark) > STALE_AFTER_MS).map((row) => row.datname);
  });
  for (const name of stale) {
    // One that gained a session meanwhile is refused by DROP: it is in use after all.
    await withClient(url, (client) => client.query(`DROP DATABASE ${client.escapeIdentifier(name)}`)).catch(
      () => undefined,
    );
  }
}

/**
 * A new, empty database on `server`, for one check or one lab script, marked as racelings' own.
 * It is dropped by `drop()`, or by `releasePostgres()` when this process is done with PostgreSQL.
 */
export async function freshDatabase(server: PgServer): Promise<FreshDatabase> {
  const name = `racelings_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  try {
    await withClient(server.url, async (client) => {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
      made.set(name, server.url);
      await client.query(
        `COMMENT ON DATABASE ${client.escapeIdentifier(name)} IS ${client.escapeLiteral(`${MARK} ${new Date().toISOString()}`)}`,
      );
    });
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new UserError(
      `Could not create a database on ${redact(server.url)}: ${(error as Error).message}`,
      code === '42501'
        ? 'Give the user in DATABASE_URL the CREATEDB privilege, or unset DATABASE_URL to use the embedded server.'
        : 'Run `racelings doctor` to see what works here.',
    );
  }
  const url = new URL(server.url);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => dropDatabase(server.url, name) };
}

/**
 * This process is done with PostgreSQL: drop the databases it made on a DATABASE_URL server (a
 * learner's own server must not collect them), then stop the embedded server if it started one.
 * Never throws: what it cannot drop, the next racelings sweeps.
 */
async function releasePostgres(): Promise<void> {
  const server = await running?.catch(() => undefined);
  if (server?.server.source === 'DATABASE_URL') {
    for (const [name, adminUrl] of made) await dropDatabase(adminUrl, name).catch(() => undefined);
  }
  await stopPostgres().catch(() => undefined);
}
onRelease(releasePostgres);

export interface PostgresProbe {
  ok: boolean;
  source: 'embedded' | 'DATABASE_URL';
  detail: string;
}

/** For `racelings doctor`: which server, its version, whether a query works; never throws. */
export async function probePostgres(): Promise<PostgresProbe> {
  const source = process.env.DATABASE_URL ? 'DATABASE_URL' : 'embedded';
  try {
    const server = await getPostgres();
    const answer = await withClient(server.url, (client) =>
      client.query<{ answer: number }>('SELECT 1 AS answer'),
    );
    const where = source === 'embedded' ? `embedded, on ${new URL(server.url).host}` : redact(server.url);
    const works = answer.rows[0]?.answer === 1 ? 'a query works' : 'a query gave a wrong answer';
    return {
      ok: answer.rows[0]?.answer === 1,
      source,
      detail: `PostgreSQL ${server.version} (${where}): ${works}`,
    };
  } catch (error) {
    const detail = isUserError(error)
      ? [error.message, error.hint].filter(Boolean).join(' ')
      : `PostgreSQL does not work here: ${(error as Error).message}`;
    return { ok: false, source, detail };
  }
}
