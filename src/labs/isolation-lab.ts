import { setTimeout as pause } from 'node:timers/promises';
import pg from 'pg';
import { freshDatabase, type PgServer } from '../postgres/server.js';
import {
  ANOMALIES,
  type AnomalyId,
  type AnomalyScript,
  ISOLATION_LEVELS,
  type IsolationLevel,
  type Row,
  type RunView,
  type ScriptStep,
  type SessionName,
  type StepOutcome,
} from './isolation-scripts.js';

export { ANOMALIES, type AnomalyId, ISOLATION_LEVELS, type IsolationLevel } from './isolation-scripts.js';

/** One line of a script's interleaving, in the order it happened. */
export interface LabEvent {
  session: SessionName;
  sql: string;
  /** `blocked`: the statement waits on a lock; it appears again, `resumed`, when it ends. */
  status: 'done' | 'failed' | 'blocked';
  resumed: boolean;
  /** "UPDATE 1", "(1,10) (2,20)", "no rows", "40001 could not serialize …", "waiting for a lock". */
  result: string;
}

export interface IsolationResult {
  anomaly: AnomalyId;
  level: IsolationLevel;
  observed: 'occurs' | 'prevented';
  how: string;
  events: LabEvent[];
}

/** A statement in flight on one session. */
interface InFlight {
  step: ScriptStep;
  blocked: boolean;
  outcome?: StepOutcome;
  /** Not an SQL error: the connection broke. */
  crash?: Error;
}

interface Session {
  name: SessionName;
  client: pg.Client;
  pid: number;
  inFlight?: InFlight;
}

const SETTLE_TIMEOUT_MS = 20_000;

function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  return client.connect().then(() => client);
}

const describeRows = (rows: Row[]) =>
  rows.length ? rows.map((row) => `(${row.id},${row.value})`).join(' ') : 'no rows';

function outcomeText(outcome: StepOutcome): string {
  if (outcome.error) return `${outcome.error.code} ${outcome.error.message}`;
  return /^select\b/i.test(outcome.sql) ? describeRows(outcome.rows) : outcome.command;
}

/** Send a statement; the returned record fills in when the server answers. */
function send(session: Session, step: ScriptStep): InFlight {
  const inFlight: InFlight = { step, blocked: false };
  const base = { ...step, blocked: false, rows: [] as Row[] };
  session.client.query<Row>(step.sql).then(
    (result) => {
      const count = ['INSERT', 'UPDATE', 'DELETE'].includes(result.command) ? ` ${result.rowCount}` : '';
      inFlight.outcome = {
        ...base,
        status: 'ok',
        rows: result.rows ?? [],
        command: `${result.command}${count}`,
      };
    },
    (error: unknown) => {
      if (error instanceof pg.DatabaseError) {
        const failure = { code: error.code ?? '?', message: error.message };
        inFlight.outcome = { ...base, status: 'error', command: 'ERROR', error: failure };
      } else inFlight.crash = error instanceof Error ? error : new Error(String(error));
    },
  );
  return inFlight;
}

/**
 * Wait until the statement either ends or waits on a lock, asking the server (pg_blocking_pids) rather
 * than guessing from elapsed time.
 */
async function settleOrBlock(session: Session, inFlight: InFlight, monitor: pg.Client): Promise<void> {
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  while (!inFlight.outcome) {
    if (inFlight.crash) throw inFlight.crash;
    const { rows } = await monitor.query<{ blocked: boolean }>(
      'SELECT cardinality(pg_blocking_pids($1)) > 0 AS blocked',
      [session.pid],
    );
    if (inFlight.outcome) return;
    if (rows[0]?.blocked) {
      inFlight.blocked = true;
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(`${session.name}'s "${inFlight.step.sql}" neither finished nor blocked`);
    }
    await pause(1);
  }
}

async function runScript(
  url: string,
  script: AnomalyScript,
  level: IsolationLevel,
): Promise<{ outcomes: StepOutcome[]; events: LabEvent[]; final: Row[] }> {
  const monitor = await connect(url);
  const sessions = new Map<SessionName, Session>();
  try {
    await monitor.query(
      'CREATE TABLE test (id int PRIMARY KEY, value int); INSERT INTO test VALUES (1, 10), (2, 20)',
    );
    for (const name of script.sessions) {
      const client = await connect(url);
      const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      sessions.set(name, { name, client, pid: rows[0]!.pid });
    }
    const begins = script.sessions.map((session) => ({ session, sql: `BEGIN ISOLATION LEVEL ${level}` }));
    const outcomes: StepOutcome[] = [];
    const events: LabEvent[] = [];
    const record = (outcome: StepOutcome, resumed: boolean) => {
      outcomes.push(outcome);
      const status = outcome.status === 'ok' ? 'done' : 'failed';
      events.push({
        session: outcome.session,
        sql: outcome.sql,
        status,
        resumed,
        result: outcomeText(outcome),
      });
    };

    for (const step of [...begins, ...script.steps]) {
      const session = sessions.get(step.session)!;
      if (session.inFlight) throw new Error(`script ${script.id}: ${step.session} is still waiting`);
      const inFlight = send(session, step);
      await settleOrBlock(session, inFlight, monitor);
      if (inFlight.outcome) record(inFlight.outcome, false);
      else {
        session.inFlight = inFlight;
        events.push({
          session: step.session,
          sql: step.sql,
          status: 'blocked',
          resumed: false,
          result: 'waiting for a lock',
        });
      }
      // This step may have released what others were waiting for: let each end (or block again) first.
      for (const other of sessions.values()) {
        if (!other.inFlight || other === session) continue;
        const waiting = other.inFlight;
        await settleOrBlock(other, waiting, monitor);
        if (waiting.outcome) {
          other.inFlight = undefined;
          record({ ...waiting.outcome, blocked: true, unblockedBy: step }, true);
        }
      }
    }
    const stuck = [...sessions.values()].find((s) => s.inFlight);
    if (stuck) throw new Error(`script ${script.id}: ${stuck.name} was still waiting at the end`);
    const final = (await monitor.query<Row>('SELECT * FROM test ORDER BY id')).rows;
    return { outcomes, events, final };
  } finally {
    await Promise.all([...sessions.values()].map((s) => s.client.end().catch(() => undefined)));
    await monitor.end().catch(() => undefined);
  }
}

function viewOf(level: IsolationLevel, outcomes: StepOutcome[], final: Row[]): RunView {
  return {
    level,
    final,
    step(label) {
      const found = outcomes.find((o) => o.label === label);
      if (!found) throw new Error(`no step labelled ${label}`);
      return found;
    },
    committed: (session) =>
      outcomes.some((o) => o.session === session && /^commit$/i.test(o.sql) && o.command === 'COMMIT'),
    failure: (session) => outcomes.find((o) => o.session === session && o.status === 'error'),
  };
}

/** Run one anomaly's script at one level, on a fresh table in a fresh database. */
export async function runAnomaly(
  server: PgServer,
  script: AnomalyScript,
  level: IsolationLevel,
): Promise<IsolationResult> {
  const db = await freshDatabase(server);
  try {
    const { outcomes, events, final } = await runScript(db.url, script, level);
    const { observed, how } = script.judge(viewOf(level, outcomes, final));
    return { anomaly: script.id, level, observed, how, events };
  } finally {
    await db.drop();
  }
}

/** Every anomaly at every level, in table order (anomalies, then levels); the levels run side by side. */
export async function runIsolationLab(
  server: PgServer,
  /** Told each anomaly's results (one per level) as soon as they are in, to show progress. */
  onAnomaly: (results: IsolationResult[]) => void = () => {},
): Promise<IsolationResult[]> {
  const results: IsolationResult[] = [];
  for (const script of ANOMALIES) {
    const row = await Promise.all(ISOLATION_LEVELS.map((level) => runAnomaly(server, script, level)));
    results.push(...row);
    onAnomaly(row);
  }
  return results;
}
