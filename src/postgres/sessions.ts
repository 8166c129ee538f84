import { setImmediate as nextTurn, setTimeout as pause } from 'node:timers/promises';
import type pg from 'pg';
import { ALL } from '../explorer/footprint.js';
import { formatValue } from '../explorer/format.js';
import { type Touch, type World, within } from '../explorer/world.js';

/** What an exercise gets: one connection (a session) to PostgreSQL. */
export interface Db {
  query<R = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number }>;
}

interface Session {
  client: pg.Client;
  pid: number;
  /** The statement under way, so a new run can wait for (or cancel) what an old one left behind. */
  busy: Promise<unknown>;
  /** Its backend was terminated (a simulated crash): replaced at the next reset. */
  ended: boolean;
  /** The statement under way has been seen waiting for a lock (see DEADLOCK_CHECK_MS). */
  waitSeen?: boolean;
  /**
   * The backend said the deadlock check of its statement's current lock wait has run (see
   * lockWaitChecked); `checkRan` resolves then (by `reportCheck`), and is made anew for each wait.
   */
  checked: boolean;
  checkRan: Promise<void>;
  reportCheck: () => void;
  /** A statement was sent since the last reset: only such a session has anything to clear. */
  used?: boolean;
  /** `busy` has not settled: the server may still be running a statement of this session. */
  answering?: boolean;
  /**
   * A BEGIN answered here and not sent yet (see deferredBegin): it goes out with the session's
   * next statement, in the same write.
   */
  begin?: string;
  /**
   * A DISCARD ALL owed since the last reset: it goes out with the session's next statement, in the
   * same write (see PgBench.reset).
   */
  discard?: boolean;
}

/**
 * Where the server cannot say when a deadlock check ran (a DATABASE_URL whose role may not set
 * log_lock_waits): how long a statement first seen waiting is given before anything else runs,
 * time for its backend's deadlock check to have run on a busy machine.
 */
const DEADLOCK_CHECK_MS = 25;
/** The longest wait for a backend to report its deadlock check (it is due 1 ms into the wait). */
const DEADLOCK_REPORT_MS = 1000;
/** The longest wait for a terminated backend to end. */
const TERMINATION_MS = 5000;

const oneLine = (sql: string) => sql.replace(/\s+/g, ' ').trim();

/**
 * Whether a statement may change the catalog (and the schema must be checked before the next
 * schedule). Only one plain statement of data or transaction control is taken as not: no second
 * statement after a `;`, no `SELECT … INTO` (which creates a table). A function that runs DDL
 * when called must have been created by DDL first, which this sees.
 */
export function mayChangeCatalog(sql: string): boolean {
  const text = sql
    // Literals first: a `--` inside one is not a comment.
    .replace(/'(?:[^']|'')*'/g, "''")
    .replace(/--[^\n]*/g, ' ')
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .trim()
    .replace(/;\s*$/, '');
  // A second statement, or a dollar-quoted body ($$ … $$, $fn$ … $fn$): DO blocks, functions.
  if (text.includes(';') || /\$(?:[A-Za-z_]\w*)?\$/.test(text)) return true;
  if (
    !/^(SELECT|INSERT|UPDATE|DELETE|WITH|VALUES|TABLE|BEGIN|START\s+TRANSACTION|COMMIT|END|ABORT|ROLLBACK|SAVEPOINT|RELEASE|SET|SHOW|RESET|LOCK)\b/i.test(
      text,
    )
  )
    return true;
  return /^(SELECT|WITH)\b/i.test(text) && /\bINTO\b/i.test(text);
}

/**
 * Statements sent as they are even outside a transaction: ones PostgreSQL refuses or treats
 * differently inside a transaction block (SAVEPOINT and LOCK need one, VACUUM must not have one,
 * SET TRANSACTION outside one only warns), and ones that cannot change a row.
 */
function sentAsIs(sql: string): boolean {
  return /^(SAVEPOINT|RELEASE|ROLLBACK\s+TO|LOCK|SET|SHOW|RESET|DECLARE|FETCH|CLOSE|MOVE|VACUUM|PREPARE\s+TRANSACTION|COMMIT\s+PREPARED|ROLLBACK\s+PREPARED)\b/.test(
    oneLine(sql).toUpperCase(),
  );
}

/**
 * Whether a statement opens (true) or ends (false) a transaction, or null for any other: the
 * session's transaction state follows the statements the learner sends.
 */
function transactionControl(sql: string): boolean | null {
  const words = oneLine(sql)
    .toUpperCase()
    .split(/[\s;]+/);
  const [first, second] = words;
  if (first === 'BEGIN' || (first === 'START' && second === 'TRANSACTION')) return true;
  if (first === 'COMMIT' || first === 'END' || first === 'ABORT') return false;
  if (first === 'ROLLBACK') return second === 'TO' ? null : false;
  return null;
}

/**
 * Whether `sql` opens a transaction in a form that cannot fail (a plain BEGIN or START
 * TRANSACTION, with an isolation level at most): such a BEGIN is answered at once and sent with
 * the session's next statement, saving a round trip per transaction. Nothing of it shows before
 * that statement: a transaction takes its snapshot and its locks with its first statement, not
 * with BEGIN (PostgreSQL manual, "Transaction Isolation").
 */
export function deferredBegin(sql: string): boolean {
  return /^(BEGIN( WORK| TRANSACTION)?|START TRANSACTION)( ISOLATION LEVEL (SERIALIZABLE|REPEATABLE READ|READ COMMITTED))?;?$/.test(
    oneLine(sql).toUpperCase(),
  );
}

/** What pg answers for a BEGIN, given for one not sent yet. */
const BEGUN = { command: 'BEGIN', rowCount: null, oid: null, rows: [], fields: [] };

const READ: Touch[] = [{ object: 'db', key: ALL, write: false }];
const WRITE: Touch[] = [{ object: 'db', key: ALL, write: true }];

/**
 * What a statement touches, for the reduction. Opening a transaction or a savepoint touches
 * nothing another session can see (a snapshot is taken by the first statement after BEGIN, not by
 * BEGIN: PostgreSQL manual, "Transaction Isolation"), a plain SELECT reads, and everything else —
 * writes, row locks, COMMIT, ROLLBACK, functions that may write — counts as writing the database.
 */
export function statementTouches(sql: string): Touch[] {
  const text = oneLine(sql).toUpperCase();
  if (/^(BEGIN|START\s+TRANSACTION|SET\s+TRANSACTION|SAVEPOINT|RELEASE)\b/.test(text)) return [];
  const plainRead =
    /^SELECT\b/.test(text) &&
    !/\bFOR\s+(UPDATE|SHARE|NO\s+KEY|KEY)\b/.test(text) &&
    !/\b(PG_|NEXTVAL|SETVAL|LOCK)/.test(text);
  return plainRead ? READ : WRITE;
}

function describeRows(result: {
  rows: Record<string, unknown>[];
  rowCount: number | null;
  command: string;
}): string {
  if (result.command !== 'SELECT' || result.rows.length === 0) {
    return result.rowCount === null ? result.command : `${result.command} ${result.rowCount}`;
  }
  const shown = result.rows.slice(0, 3).map((row) => formatValue(row));
  return `${shown.join(' ')}${result.rows.length > 3 ? ` +${result.rows.length - 3}` : ''}`;
}

/** A PostgreSQL error as the timeline shows it: its SQLSTATE and message. */
export function describePgError(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  return code ? `${code} ${message}` : formatValue(error);
}

/**
 * The settings every connection starts with, as startup options: DISCARD ALL between schedules
 * returns a session to them, with no round trip to set them again.
 *
 * PostgreSQL runs the deadlock check once per wait, `deadlock_timeout` after the wait began, and
 * the backend that finds the cycle is the one aborted with 40P01. At 1 ms, and with the explorer
 * waiting for the first waiter's check to have run before it lets a second statement close the
 * cycle, the victim is the last statement to wait, on every run (PostgreSQL manual, 19.12 Lock
 * Management). With log_lock_waits and client_min_messages = log, a waiting backend tells its own
 * client when its check has run ("still waiting for …", 19.8), in C so that it can be read.
 * These need a superuser; elsewhere only USER_SETTINGS apply and the server's own values stay.
 */
const SUPERUSER_SETTINGS = [
  'deadlock_timeout=1ms',
  'log_lock_waits=on',
  'client_min_messages=log',
  'lc_messages=C',
];
const USER_SETTINGS = ['statement_timeout=10s'];

/** Per server URL: whether its role may set SUPERUSER_SETTINGS (learned at the first connection). */
const superuser = new Map<string, boolean>();

/** A client of `url` that starts with `settings`, added to the startup options the URL may carry. */
function clientWith(
  driver: typeof pg,
  url: string,
  settings: readonly string[],
  pipeline: boolean,
): pg.Client {
  const own = settings.map((setting) => `-c ${setting}`).join(' ');
  try {
    const parsed = new URL(url);
    const given = parsed.searchParams.get('options');
    parsed.searchParams.set('options', given ? `${given} ${own}` : own);
    return new driver.Client({ connectionString: parsed.toString(), pipeline });
  } catch {
    return new driver.Client({ connectionString: url, options: own, pipeline });
  }
}

/**
 * A connection with the session settings. `pipeline`: statements are sent without waiting for the
 * answer to the one before (the server still runs them in order), so a statement and the ones that
 * wrap it cost one round trip. Rejects as pg.Client.connect does.
 */
async function connect(url: string, pipeline = false): Promise<{ client: pg.Client; reports: boolean }> {
  const reports = superuser.get(url) ?? true;
  // Loaded with the first connection: a grader that explores in memory never loads the client.
  const { default: driver } = await import('pg');
  const client = clientWith(
    driver,
    url,
    reports ? [...SUPERUSER_SETTINGS, ...USER_SETTINGS] : USER_SETTINGS,
    pipeline,
  );
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    // 42501: this role may not set them (FATAL at startup). Learned once per server.
    if (!reports || (error as { code?: string }).code !== '42501') throw error;
    superuser.set(url, false);
    return connect(url, pipeline);
  }
  superuser.set(url, reports);
  return { client, reports };
}

/** What `send` sends on a pipelining client goes out in one write, so the server reads it at once. */
function together<T>(client: pg.Client, send: () => T): T {
  const { stream } = client.connection;
  stream.cork();
  try {
    return send();
  } finally {
    stream.uncork();
  }
}

/** A session's lock-wait state before its backend has said anything of the wait (see Session). */
function awaitingCheck(): Pick<Session, 'checked' | 'checkRan' | 'reportCheck'> {
  let reportCheck = () => {};
  const checkRan = new Promise<void>((resolve) => {
    reportCheck = resolve;
  });
  return { checked: false, checkRan, reportCheck };
}

/** What a backend's lock-wait notice says of the wait under way (null: nothing about it). */
function lockWaitNotice(message: string): 'checked' | 'over' | null {
  // "still waiting for …", "avoided deadlock for … by rearranging queue order": the check ran and
  // the wait goes on. "acquired …": that wait is over; a new one needs a check of its own.
  if (/^process \d+ (still waiting|avoided deadlock)/.test(message)) return 'checked';
  if (/^process \d+ acquired/.test(message)) return 'over';
  return null;
}

/** Objects a schedule's DDL can add or change, in the database's own schemas, as one digest. */
const CATALOG_DIGEST = `
  WITH own AS (
    SELECT oid FROM pg_namespace
     WHERE nspname NOT IN ('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg\\_%'
  )
  SELECT md5(string_agg(item, '|' ORDER BY item)) AS digest FROM (
    SELECT concat('n', n.oid, n.nspname) FROM pg_namespace n WHERE n.oid IN (SELECT oid FROM own)
    UNION ALL SELECT concat('c', c.oid, c.relname, c.relkind) FROM pg_class c WHERE c.relnamespace IN (SELECT oid FROM own)
    UNION ALL SELECT concat('a', a.attrelid, a.attname, a.atttypid, a.attnotnull, a.atthasdef)
      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
     WHERE c.relnamespace IN (SELECT oid FROM own) AND a.attnum > 0 AND NOT a.attisdropped
    UNION ALL SELECT concat('k', k.oid, k.conname) FROM pg_constraint k WHERE k.connamespace IN (SELECT oid FROM own)
    UNION ALL SELECT concat('p', p.oid, p.proname, md5(p.prosrc)) FROM pg_proc p WHERE p.pronamespace IN (SELECT oid FROM own)
    UNION ALL SELECT concat('t', t.oid, t.tgname, t.tgenabled) FROM pg_trigger t WHERE NOT t.tgisinternal
    UNION ALL SELECT concat('y', y.oid) FROM pg_type y WHERE y.typnamespace IN (SELECT oid FROM own)
    UNION ALL SELECT concat('x', e.oid, e.extname) FROM pg_extension e WHERE e.extname <> 'plpgsql'
    UNION ALL SELECT concat('r', r.oid) FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class
     WHERE c.relnamespace IN (SELECT oid FROM own)
  ) AS objects(item)`;

/** Extensions a schedule may have created (plpgsql comes with every database). */
const USER_EXTENSIONS = `SELECT extname AS name FROM pg_extension WHERE extname <> 'plpgsql'`;

/**
 * The rows every schedule starts from: per table, the SQL that loads them into the emptied table,
 * in load order (a table after the tables it references). Every table of the database is emptied
 * (its identities restarted, as TRUNCATE … RESTART IDENTITY does); a table not named stays empty.
 */
export type Seed = Readonly<Record<string, string>>;

/** A table of the check's schema, as the reset sees it. */
interface Table {
  /** Its name, as a Seed names it. */
  name: string;
  /** Schema-qualified and quoted, for SQL. */
  sql: string;
  /** The sequence its write mark counts on (see WRITE_MARKS), or null without marks. */
  mark: string | null;
  /** Sequences its columns own (serial, identity): RESTART IDENTITY restarts them. */
  sequences: string[];
  /** Tables (indices) with a foreign key to this one: TRUNCATE must empty them with it. */
  referencedBy: number[];
}

/**
 * Where the write marks live: one unlogged sequence per table, advanced by a statement-level
 * trigger that fires before every INSERT, UPDATE, DELETE, MERGE or TRUNCATE of the table (whether
 * it then commits, rolls back or fails). A sequence is not transactional, so a mark survives the
 * rollback of the write it counts; being unlogged (PostgreSQL 15), advancing it gives the
 * statement's transaction no transaction id (pg_current_xact_id_if_assigned stays null). The
 * trigger fires ALWAYS, even for a session whose session_replication_role turns triggers off.
 */
const WRITE_MARKS = 'racelings_marks';
const MARKS_FROM_VERSION = 150_000;

/** The statements that give every table of `tables` its write mark. */
function writeMarks(tables: readonly { sql: string }[]): string {
  return [
    `CREATE SCHEMA ${WRITE_MARKS}`,
    `CREATE FUNCTION ${WRITE_MARKS}.mark() RETURNS trigger LANGUAGE plpgsql AS $mark$
      BEGIN PERFORM pg_catalog.nextval(TG_ARGV[0]::pg_catalog.regclass); RETURN NULL; END $mark$`,
    ...tables.flatMap((table, i) => [
      `CREATE UNLOGGED SEQUENCE ${WRITE_MARKS}.t${i}`,
      `CREATE TRIGGER racelings_mark BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table.sql}
        FOR EACH STATEMENT EXECUTE FUNCTION ${WRITE_MARKS}.mark('${WRITE_MARKS}.t${i}')`,
      `ALTER TABLE ${table.sql} ENABLE ALWAYS TRIGGER racelings_mark`,
    ]),
  ].join(';\n');
}

/** The tables of the database's own schemas, their owned sequences and who references whom. */
const TABLES = `
  SELECT c.oid, c.relname AS name, format('%I.%I', n.nspname, c.relname) AS sql,
         ARRAY(SELECT s.oid::regclass::text FROM pg_depend d JOIN pg_class s ON s.oid = d.objid
                WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
                  AND d.refobjid = c.oid AND d.deptype IN ('a', 'i') AND s.relkind = 'S'
                ORDER BY 1) AS sequences,
         ARRAY(SELECT k.conrelid FROM pg_constraint k WHERE k.contype = 'f' AND k.confrelid = c.oid) AS "referencedBy"
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
     AND n.nspname NOT IN ('pg_catalog', 'information_schema', '${WRITE_MARKS}') AND n.nspname NOT LIKE 'pg\\_%'
   ORDER BY n.nspname, c.relname`;

/**
 * The server's half of a reset, as one function of the database (one round trip): which tables a
 * schedule wrote (write mark set, or an owned sequence moved from its state after the last load —
 * `snapshot`, in table order), with those whose seed changed (`forced`) and the tables that
 * reference any of them (TRUNCATE empties those together); these are emptied, identities
 * restarted, loaded again (`loadTables` and `loadSql`, in the seed's order) and their marks cleared.
 * It answers every owned sequence's state and the backends holding an advisory lock.
 */
function resetFunction(tables: readonly Table[]): string {
  let sequence = 0;
  const written = tables.map((table, i) =>
    [
      `forced[${i + 1}]`,
      `(SELECT is_called FROM ${table.mark})`,
      ...table.sequences.map(
        (name) =>
          `(SELECT concat(last_value, '/', is_called) FROM ${name}) IS DISTINCT FROM snapshot[${++sequence}]`,
      ),
    ].join(' OR '),
  );
  const referencing = tables.flatMap((table, i) =>
    table.referencedBy.map((j) => `stale[${j + 1}] := stale[${j + 1}] OR stale[${i + 1}];`),
  );
  const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;
  const states = tables.flatMap((table) =>
    table.sequences.map((name) => `(SELECT concat(last_value, '/', is_called) FROM ${name})`),
  );
  return `CREATE FUNCTION ${WRITE_MARKS}.reset(forced boolean[], snapshot text[], "loadTables" int[], "loadSql" text[])
    RETURNS TABLE (sequences text[], advisory int[]) LANGUAGE plpgsql AS $reset$
    DECLARE
      stale boolean[] := ARRAY[${written.join(', ')}];
      tables text[] := ARRAY[${tables.map((table) => quote(table.sql)).join(', ')}];
      emptied text[] := '{}';
    BEGIN
      FOR pass IN 1..${tables.length} LOOP ${referencing.join(' ')} END LOOP;
      FOR i IN 1..${tables.length} LOOP
        IF stale[i] THEN emptied := emptied || tables[i]; END IF;
      END LOOP;
      IF cardinality(emptied) > 0 THEN
        EXECUTE 'TRUNCATE ' || array_to_string(emptied, ', ') || ' RESTART IDENTITY';
        FOR i IN 1..coalesce(cardinality("loadTables"), 0) LOOP
          IF stale["loadTables"[i]] THEN EXECUTE "loadSql"[i]; END IF;
        END LOOP;
        ${tables.map((table, i) => `IF stale[${i + 1}] THEN PERFORM pg_catalog.setval('${table.mark}', 1, false); END IF;`).join('\n        ')}
      END IF;
      RETURN QUERY SELECT ARRAY[${states.join(', ')}]::text[],
        ARRAY(SELECT DISTINCT l.pid FROM pg_catalog.pg_locks l WHERE l.locktype = 'advisory'
               AND l.database = (SELECT d.oid FROM pg_catalog.pg_database d WHERE d.datname = pg_catalog.current_database()))::int[];
    END $reset$`;
}

/**
 * The database of one check, kept warm in the grader process: its schema, an admin connection that
 * resets the data before every schedule, and one connection per session.
 */
export class PgBench {
  private readonly sessions: Session[] = [];

  private constructor(
    private readonly url: string,
    private readonly admin: pg.Client,
    private readonly monitor: pg.Client,
    private readonly schema: string,
    /** Backends report their deadlock checks (see SUPERUSER_SETTINGS); else DEADLOCK_CHECK_MS. */
    private readonly reports: boolean,
    /** Write marks were asked for and the server can keep them (see WRITE_MARKS); `survey` says which schemas get them. */
    private readonly marks: boolean,
  ) {}

  private static benches = new Map<string, Promise<PgBench>>();

  /**
   * The bench of a check, created on first use with `schema`. `writeMarks`: give each table a
   * write mark (see WRITE_MARKS), so that a reset reloads only the tables a schedule wrote. Off
   * unless asked: on the shipped checks, medians of 3 warm passes came out the same or faster
   * without them (seat-hold 1.83–1.91 s against 2.04–2.26 s, idempotent-payment 0.71–0.81 s
   * against 0.92–1.13 s), most schedules writing every table and every write paying a trigger.
   */
  static for(name: string, schema: string, options: { writeMarks?: boolean } = {}): Promise<PgBench> {
    let bench = PgBench.benches.get(name);
    if (!bench) {
      bench = PgBench.create(schema, options.writeMarks === true);
      PgBench.benches.set(name, bench);
      bench.catch(() => PgBench.benches.delete(name));
    }
    return bench;
  }

  private static async create(schema: string, writeMarks: boolean): Promise<PgBench> {
    // The client and the server's code load with the first PostgreSQL check: every grader process
    // imports this module with the checks, most never grade against PostgreSQL.
    const { freshDatabase, getPostgres } = await import('./server.js');
    const server = await getPostgres();
    const database = await freshDatabase(server);
    const admin = await connect(database.url, true);
    await admin.client.query(schema);
    const monitor = await connect(database.url);
    const { rows } = await admin.client.query<{ version: string }>(
      "SELECT current_setting('server_version_num') AS version",
    );
    const marks = writeMarks && Number(rows[0]?.version) >= MARKS_FROM_VERSION;
    const bench = new PgBench(database.url, admin.client, monitor.client, schema, admin.reports, marks);
    await bench.survey();
    bench.catalog = await bench.fingerprint();
    return bench;
  }

  /** The schema's tables, as `survey` found them after the schema was (re)built. */
  private tables: Table[] = [];
  /** Per table name: the seed SQL its rows were last loaded with (absent: load it). */
  private loaded = new Map<string, string>();
  /** Per owned sequence: its state as the last load of its table left it. */
  private loadedSequences = new Map<string, string>();

  /**
   * Learn the tables of the schema just built, and give each its write mark when the server can
   * keep one (see WRITE_MARKS); every table is then to be loaded at the next reset.
   */
  private async survey(): Promise<void> {
    const { rows } = await this.admin.query<{
      oid: number;
      name: string;
      sql: string;
      sequences: string[];
      referencedBy: number[];
    }>(TABLES);
    const index = new Map(rows.map((row, i) => [row.oid, i]));
    // With one table, a schedule that writes nothing is rare, and a mark costs every write a
    // trigger call and every reset a look: marks pay where a schedule leaves some table alone.
    const marked = this.marks && rows.length > 1;
    this.tables = rows.map((row, i) => ({
      name: row.name,
      sql: row.sql,
      mark: marked ? `${WRITE_MARKS}.t${i}` : null,
      sequences: row.sequences,
      referencedBy: row.referencedBy.flatMap((oid) => (index.has(oid) ? [index.get(oid)!] : [])),
    }));
    if (marked) {
      await this.admin.query(`${writeMarks(this.tables)};\n${resetFunction(this.tables)}`);
    }
    this.loaded.clear();
    this.loadedSequences.clear();
  }

  /** The schema as the check made it, to compare with after every schedule. */
  private catalog = '';
  /** A learner's statement since the last reset may have changed the catalog. */
  private catalogTouched = false;

  /**
   * A digest of every object the learner's code could have created or changed with DDL: relations
   * (tables, indexes, sequences, views) and their columns, constraints, functions with their
   * bodies, triggers, types, schemas and extensions. About 8 ms: taken only after a schedule sent
   * a statement that may change the catalog (see mayChangeCatalog).
   */
  private async fingerprint(): Promise<string> {
    const { rows } = await this.admin.query<{ digest: string | null }>(CATALOG_DIGEST);
    return rows[0]?.digest ?? '';
  }

  /**
   * Rebuild the schema when a schedule changed it (a `CREATE FUNCTION`, an `ALTER TABLE`, an index),
   * so that no schedule, and no later check in this process, starts from what another left behind.
   */
  private async restoreSchema(): Promise<void> {
    if (!this.catalogTouched) return;
    this.catalogTouched = false;
    if ((await this.fingerprint()) === this.catalog) return;
    const { rows } = await this.admin.query<{ name: string }>(
      `SELECT nspname AS name FROM pg_namespace
        WHERE nspname NOT IN ('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg\\_%'`,
    );
    for (const { name } of rows)
      await this.admin.query(`DROP SCHEMA ${this.admin.escapeIdentifier(name)} CASCADE`);
    await this.admin.query('CREATE SCHEMA public');
    for (const extension of (await this.admin.query<{ name: string }>(USER_EXTENSIONS)).rows) {
      await this.admin.query(`DROP EXTENSION ${this.admin.escapeIdentifier(extension.name)} CASCADE`);
    }
    await this.admin.query(this.schema);
    await this.survey();
    this.catalog = await this.fingerprint();
  }

  /** Every table named by `seed` is one of the schema's (a check's own mistake otherwise). */
  private checkSeed(seed: Seed): void {
    for (const name of Object.keys(seed)) {
      if (!this.tables.some((table) => table.name === name)) {
        throw new Error(`The seed loads a table the schema does not have: ${name}.`);
      }
    }
  }

  /** Empty every table (identities restarted) and load each one's rows from `seed`, in its order. */
  private async loadAll(seed: Seed): Promise<void> {
    this.checkSeed(seed);
    if (this.tables.length === 0) return;
    await this.admin.query(
      [
        `TRUNCATE ${this.tables.map((table) => table.sql).join(', ')} RESTART IDENTITY`,
        ...Object.values(seed),
      ].join(';\n'),
    );
  }

  /**
   * Empty and load again, from `seed`, the tables a statement wrote since their last load (their
   * write mark moved, or a sequence they own did), those whose seed changed or all of them
   * (`everything`), and the tables that reference any of these (see resetFunction). A table no
   * statement wrote holds the very rows its load left, in the same places: loading it again would
   * change nothing a schedule can see. Answers the backends that hold an advisory lock.
   */
  private async loadWritten(seed: Seed, everything: boolean): Promise<number[]> {
    this.checkSeed(seed);
    const index = new Map(this.tables.map((table, i) => [table.name, i + 1]));
    const forced = this.tables.map(
      (table) => everything || this.loaded.get(table.name) !== (seed[table.name] ?? ''),
    );
    const snapshot = this.tables.flatMap((table) =>
      table.sequences.map((name) => this.loadedSequences.get(name) ?? null),
    );
    const { rows } = await this.admin.query<{ sequences: string[]; advisory: number[] }>(
      `SELECT sequences, advisory FROM ${WRITE_MARKS}.reset($1, $2, $3, $4)`,
      [forced, snapshot, Object.keys(seed).map((name) => index.get(name)), Object.values(seed)],
    );
    const { sequences, advisory } = rows[0]!;
    let sequence = 0;
    for (const table of this.tables) {
      this.loaded.set(table.name, seed[table.name] ?? '');
      for (const name of table.sequences) this.loadedSequences.set(name, sequences[sequence++]!);
    }
    return advisory;
  }

  private async open(): Promise<Session> {
    const { client } = await connect(this.url, true);
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const session: Session = {
      client,
      pid: rows[0]!.pid,
      busy: Promise.resolve(),
      ended: false,
      ...awaitingCheck(),
    };
    client.on('notice', ({ message }) => {
      const said = lockWaitNotice(message ?? '');
      if (said === 'checked') {
        session.checked = true;
        session.reportCheck();
      } else if (said === 'over') Object.assign(session, awaitingCheck());
    });
    return session;
  }

  /**
   * Resolves once the deadlock check of `session`'s current lock wait has run, so that a statement
   * released next that closes a cycle is the one PostgreSQL aborts (see SUPERUSER_SETTINGS): when
   * the backend says so, or when its statement has finished. Where backends cannot report, the
   * first wait of each statement is given DEADLOCK_CHECK_MS instead.
   */
  private async lockWaitChecked(session: Session): Promise<void> {
    if (!this.reports) {
      if (session.waitSeen) return;
      session.waitSeen = true;
      await pause(DEADLOCK_CHECK_MS);
      return;
    }
    // A notice already on its way (sent before the wait was seen) is read first.
    await nextTurn();
    if (session.checked || !session.answering) return;
    await within(Promise.race([session.checkRan, session.busy.catch(() => {})]), DEADLOCK_REPORT_MS);
  }

  /**
   * Make `count` sessions idle, out of any transaction, with no session state left (an advisory
   * lock, a `SET`, a temp table left by one schedule would change the next), rebuild the schema if
   * the learner's DDL changed it, then empty and load the tables a schedule wrote (see `stale`) from
   * `seed`. A session whose process was made to die is replaced.
   */
  async reset(count: number, seed: Seed): Promise<void> {
    while (this.sessions.length < count) this.sessions.push(await this.open());
    // Sessions are cleared side by side: each waits only for its own server process.
    const used = this.sessions.filter((session) => session.used && !session.ended);
    await Promise.all(
      this.sessions.map(async (session, index) => {
        if (session.ended) {
          await session.client.end().catch(() => {});
          this.sessions[index] = await this.open();
          return;
        }
        if (!session.used) return;
        session.used = false;
        session.begin = undefined;
        if (session.answering) {
          await this.admin.query(
            'SELECT pg_cancel_backend($1) WHERE EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND state = $2)',
            [session.pid, 'active'],
          );
        }
        await session.busy.catch(() => {});
        // The client knows from the server's last ReadyForQuery: 'I' is idle, outside a transaction.
        if (session.client.getTransactionStatus() !== 'I')
          await session.client.query('ROLLBACK').catch(() => {});
      }),
    );
    // Session state a schedule may leave: SET (SESSION CHARACTERISTICS), advisory locks, temp
    // tables, prepared statements, LISTEN. DISCARD ALL clears them all, back to the startup
    // settings (PostgreSQL manual, DISCARD). The seed needs no session's help: it goes meanwhile,
    // unless the schema must be checked first (a learner's temp object may depend on it).
    const discard = (sessions: Session[]) =>
      Promise.all(
        sessions.map((session) => {
          session.discard = false;
          return session.client.query('DISCARD ALL').catch(() => {});
        }),
      );
    const marks = this.tables[0]?.mark != null;
    if (this.catalogTouched) {
      // DDL may have turned write marks off for a while (ALTER TABLE … DISABLE TRIGGER): every
      // table is loaded again.
      await discard(used);
      await this.restoreSchema();
      if (this.tables[0]?.mark != null) await this.loadWritten(seed, true);
      else await this.loadAll(seed);
    } else if (!marks) {
      await Promise.all([discard(used), this.loadAll(seed)]);
    } else {
      // Of a session's state, only an advisory lock shows to the others: a session holding one
      // discards now; the rest of its state only its own statements see, and its DISCARD ALL
      // goes out with its next statement (a round trip saved).
      const advisory = await this.loadWritten(seed, false);
      const holding = used.filter((session) => advisory.includes(session.pid));
      for (const session of used) session.discard = !holding.includes(session);
      await discard(holding);
    }
  }

  /**
   * Session `index` ends as if its process had died: PostgreSQL rolls back its transaction and
   * frees its locks (advisory ones included). The next reset opens a new one in its place.
   */
  async terminate(index: number): Promise<void> {
    const session = this.sessions[index]!;
    session.ended = true;
    await this.admin.query('SELECT pg_terminate_backend($1)', [session.pid]);
    // A later session must not find the dead one's row locks still held. A backend frees its locks
    // before it leaves pg_stat_activity; pg_terminate_backend's own wait would look every 100 ms.
    const until = Date.now() + TERMINATION_MS;
    for (;;) {
      const { rows } = await this.admin.query<{ alive: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = $1)
             OR EXISTS (SELECT 1 FROM pg_locks WHERE pid = $1) AS alive`,
        [session.pid],
      );
      if (!rows[0]?.alive) return;
      // As pg_terminate_backend's own timeout did: give up waiting, quietly.
      if (Date.now() > until) return;
      await pause(1);
    }
  }

  /** Whether session `index` has a transaction open (it finished without COMMIT or ROLLBACK). */
  async inTransaction(index: number): Promise<boolean> {
    const session = this.sessions[index]!;
    // Settled: the transaction status of the server's last ReadyForQuery is current.
    if (!session.answering && !session.ended) {
      return session.begin !== undefined || session.client.getTransactionStatus() !== 'I';
    }
    const { rows } = await this.monitor.query<{ state: string }>(
      'SELECT state FROM pg_stat_activity WHERE pid = $1',
      [this.sessions[index]!.pid],
    );
    return rows[0]?.state?.startsWith('idle in transaction') ?? false;
  }

  /**
   * A statement of another service (a pricing job, say), run by the checker on its own connection
   * as a controlled step of the task under way. It never waits for a learner's lock: with a row
   * locked it gives up at once (lock_timeout) and answers false, as a job that skips locked rows would.
   */
  interfere(world: World, name: string, sql: string): Promise<boolean> {
    const run = async () => {
      // Sent as one pipeline: when the statement fails, COMMIT ends the failed transaction as a
      // ROLLBACK would (PostgreSQL manual, COMMIT), and the SET LOCAL goes with it.
      const sent = together(this.admin, () =>
        ['BEGIN', "SET LOCAL lock_timeout = '20ms'", sql, 'COMMIT'].map((text) =>
          this.admin.query(text).then(
            () => null,
            (error: unknown) => error,
          ),
        ),
      );
      const [began, limited, changed, committed] = await Promise.all(sent);
      const error = began ?? limited ?? changed ?? committed;
      if (error === null) return true;
      if ((error as { code?: string }).code === '55P03') return false;
      throw error;
    };
    return world.remote(name, [], run, {
      blocked: async () => null,
      describe: (changed) => (changed ? 'changed' : 'row locked by a checkout: skipped'),
    });
  }

  /** Run a query as the checker, outside every session (to read the final state). */
  async read<R extends Record<string, unknown>>(sql: string): Promise<R[]> {
    return (await this.admin.query<R>(sql)).rows;
  }

  /**
   * Session `index` as the learner's code sees it. Every statement is a remote operation of the
   * world: sent when the explorer releases it, and seen as blocked when PostgreSQL makes it wait.
   */
  session(world: World, index: number, names: readonly string[]): Db {
    const session = this.sessions[index]!;
    let inTransaction = false;
    const owner = (pid: number) => {
      const other = this.sessions.findIndex((s) => s.pid === pid);
      return other >= 0
        ? `${names[other] ?? `session ${other + 1}`}'s lock`
        : `a lock held by backend ${pid}`;
    };
    const blocked = async () => {
      const { rows } = await this.monitor.query<{ pids: number[] }>('SELECT pg_blocking_pids($1) AS pids', [
        session.pid,
      ]);
      const pids = rows[0]?.pids ?? [];
      if (pids.length === 0) return null;
      await this.lockWaitChecked(session);
      const holders = pids.flatMap((pid) => {
        const other = this.sessions.findIndex((s) => s.pid === pid);
        return other >= 0 ? [other] : [];
      });
      return { on: pids.map(owner).join(' and '), holders };
    };
    /** The session's latest request to the server, until it settles. */
    const track = (request: Promise<unknown>) => {
      session.used = true;
      session.answering = true;
      session.busy = request;
      const settle = () => {
        if (session.busy === request) session.answering = false;
      };
      request.then(settle, settle);
    };
    return {
      query: <R>(sql: string, params: unknown[] = []) => {
        const control = transactionControl(sql);
        // Outside a transaction a statement commits on its own: run it in one whose COMMIT is a
        // step of its own, so other sessions can run while it is executed but not yet visible.
        // Whether it wrote is asked of the server, not guessed from the text: `SELECT f()` may write.
        const autocommit = !inTransaction && control === null && !sentAsIs(sql);
        if (control !== null) inTransaction = control;
        const { client } = session;
        if (mayChangeCatalog(sql)) this.catalogTouched = true;
        let wrote = false;
        const perform = async () => {
          session.waitSeen = false;
          Object.assign(session, awaitingCheck());
          const idle = session.begin === undefined && client.getTransactionStatus() === 'I';
          if (control === true && idle && params.length === 0 && deferredBegin(sql)) {
            session.begin = sql;
            session.used = true;
            return BEGUN;
          }
          // What the session owes the server (a DISCARD ALL, a BEGIN) goes first, in the same write;
          // neither can fail on its own: the statement's answer is the one that counts.
          const owed = [
            ...(session.discard ? ['DISCARD ALL'] : []),
            ...(session.begin ? [session.begin] : []),
          ];
          session.discard = false;
          session.begin = undefined;
          const payOwed = () => {
            for (const text of owed) client.query(text).catch(() => {});
          };
          if (!autocommit) {
            return together(client, () => {
              payOwed();
              return client.query(sql, params);
            });
          }
          // One round trip (the client pipelines): after a failure the server refuses the rest of
          // the transaction (25P02), and the statement's own error is the one that counts.
          const [began, ran, asked] = together(client, () => {
            payOwed();
            return [
              client.query('BEGIN'),
              client.query(sql, params),
              // A transaction gets an id on its first write (or row lock): none means nothing to commit.
              client.query<{ wrote: boolean }>(
                'SELECT pg_current_xact_id_if_assigned() IS NOT NULL AS wrote',
              ),
            ] as const;
          });
          try {
            await began;
            const result = await ran;
            wrote = (await asked).rows[0]?.wrote === true;
            if (!wrote) await client.query('COMMIT');
            return result;
          } catch (error) {
            await Promise.allSettled([began, ran, asked]);
            await client.query('ROLLBACK');
            throw error;
          }
        };
        return world.remote(
          oneLine(sql),
          params,
          () => {
            const sent = perform();
            track(sent);
            return sent;
          },
          {
            blocked,
            waiting: this.reports ? () => session.checkRan : undefined,
            touches: statementTouches(sql),
            describe: describeRows,
            describeError: describePgError,
            committed: () => !wrote,
            commit: autocommit
              ? async () => {
                  const committing = client.query('COMMIT');
                  track(committing);
                  await committing;
                }
              : undefined,
          },
        ) as unknown as Promise<{ rows: R[]; rowCount: number }>;
      },
    };
  }
}
