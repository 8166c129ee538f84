/**
 * Hermitage-style anomaly scripts: two or three sessions on a table `test (id, value)` seeded with
 * (1, 10) and (2, 20), driven in a fixed interleaving. Each script judges what actually happened.
 */

export const ISOLATION_LEVELS = ['READ COMMITTED', 'REPEATABLE READ', 'SERIALIZABLE'] as const;
export type IsolationLevel = (typeof ISOLATION_LEVELS)[number];

export type SessionName = 'T1' | 'T2' | 'T3';

export interface Row {
  id: number;
  value: number;
}

export interface ScriptStep {
  session: SessionName;
  sql: string;
  /** Names the step for the judge. */
  label?: string;
}

/** How one step ended, after any wait. */
export interface StepOutcome extends ScriptStep {
  /** It waited on another session's lock before it ended. */
  blocked: boolean;
  /** The step after which it stopped waiting. */
  unblockedBy?: ScriptStep;
  status: 'ok' | 'error';
  rows: Row[];
  /** The command tag, e.g. "UPDATE 1", "COMMIT", or "ROLLBACK" for a commit of a failed transaction. */
  command: string;
  error?: { code: string; message: string };
}

export interface Judgement {
  observed: 'occurs' | 'prevented';
  how: string;
}

/** What a judge may ask about a finished run. */
export interface RunView {
  level: IsolationLevel;
  step(label: string): StepOutcome;
  /** Whether the session's COMMIT really committed. */
  committed(session: SessionName): boolean;
  /** The session's first failed step. */
  failure(session: SessionName): StepOutcome | undefined;
  /** The table after every session ended. */
  final: Row[];
}

export type AnomalyId = 'G0' | 'G1a' | 'G1b' | 'G1c' | 'OTV' | 'PMP' | 'P4' | 'G-single' | 'G2-item' | 'G2';

export interface AnomalyScript {
  id: AnomalyId;
  name: string;
  /** One line: what the anomaly is. */
  summary: string;
  sessions: SessionName[];
  steps: ScriptStep[];
  judge(run: RunView): Judgement;
}

const valueIn = (rows: Row[], id: number) => rows.find((row) => row.id === id)?.value;
const showRows = (rows: Row[]) =>
  rows.length ? rows.map((r) => `(${r.id},${r.value})`).join(' ') : 'no rows';
const isCommit = (sql: string) => /^commit\b/i.test(sql);

function endedHow(step: ScriptStep): string {
  if (isCommit(step.sql)) return 'committed';
  if (/^(rollback|abort)\b/i.test(step.sql)) return 'rolled back';
  return `ran ${step.sql}`;
}

/** "T2 aborted with 40001 could not serialize …" or "T2's commit failed with 40001 …". */
function failed(step: StepOutcome): string {
  const reason = `${step.error?.code} ${step.error?.message}`;
  return isCommit(step.sql)
    ? `${step.session}'s commit failed with ${reason}`
    : `${step.session} aborted with ${reason}`;
}

/** "T2 blocked until T1 committed, then …" for a step that waited; what it then did for one that did not. */
function waited(step: StepOutcome, after: string): string {
  if (step.status === 'error') {
    const failure = failed(step);
    return step.blocked && step.unblockedBy
      ? `${step.session} blocked until ${step.unblockedBy.session} ${endedHow(step.unblockedBy)}, then${failure.slice(step.session.length)}`
      : failure;
  }
  return step.blocked && step.unblockedBy
    ? `${step.session} blocked until ${step.unblockedBy.session} ${endedHow(step.unblockedBy)}, then ${after}`
    : `${step.session} did not wait, and ${after}`;
}

function firstFailure(run: RunView, sessions: SessionName[]): StepOutcome | undefined {
  return sessions.map((s) => run.failure(s)).find((f) => f !== undefined);
}

const update = (session: SessionName, id: number, value: number, label?: string): ScriptStep => ({
  session,
  sql: `UPDATE test SET value = ${value} WHERE id = ${id}`,
  label,
});
const select = (session: SessionName, where: string, label?: string): ScriptStep => ({
  session,
  sql: `SELECT * FROM test${where ? ` WHERE ${where}` : ''} ORDER BY id`,
  label,
});
const commit = (session: SessionName): ScriptStep => ({ session, sql: 'COMMIT' });

const g0: AnomalyScript = {
  id: 'G0',
  name: 'dirty write',
  summary: 'a transaction overwrites another’s uncommitted write',
  sessions: ['T1', 'T2'],
  steps: [
    update('T1', 1, 11),
    update('T2', 1, 12, 'overwrite'),
    update('T1', 2, 21),
    commit('T1'),
    update('T2', 2, 22),
    commit('T2'),
  ],
  judge(run) {
    const [one, two] = [valueIn(run.final, 1), valueIn(run.final, 2)];
    if ((one === 12 && two === 21) || (one === 11 && two === 22)) {
      return { observed: 'occurs', how: `the rows ended half T1, half T2: ${showRows(run.final)}` };
    }
    const overwrite = run.step('overwrite');
    const failure = run.failure('T2');
    const how =
      overwrite.status === 'ok' && failure
        ? `${waited(overwrite, 'wrote')}; ${failed(failure)}`
        : waited(overwrite, `overwrote both rows after T1: ${showRows(run.final)}`);
    return { observed: 'prevented', how };
  },
};

const g1a: AnomalyScript = {
  id: 'G1a',
  name: 'aborted read',
  summary: 'a transaction reads a value that is later rolled back',
  sessions: ['T1', 'T2'],
  steps: [
    update('T1', 1, 101),
    select('T2', '', 'before'),
    { session: 'T1', sql: 'ROLLBACK' },
    select('T2', '', 'after'),
    commit('T2'),
  ],
  judge(run) {
    const seen = [valueIn(run.step('before').rows, 1), valueIn(run.step('after').rows, 1)];
    if (seen.includes(101)) {
      return { observed: 'occurs', how: 'T2 read 101, a value T1 wrote and then rolled back' };
    }
    return {
      observed: 'prevented',
      how: `reads never saw the other's write: T2 read ${seen[0]} while T1's 101 was uncommitted, and ${seen[1]} after T1 rolled back`,
    };
  },
};

const g1b: AnomalyScript = {
  id: 'G1b',
  name: 'intermediate read',
  summary: 'a transaction reads a value another later overwrote before committing',
  sessions: ['T1', 'T2'],
  steps: [
    update('T1', 1, 101),
    select('T2', '', 'before'),
    update('T1', 1, 11),
    commit('T1'),
    select('T2', '', 'after'),
    commit('T2'),
  ],
  judge(run) {
    const [before, after] = [valueIn(run.step('before').rows, 1), valueIn(run.step('after').rows, 1)];
    if (before === 101 || after === 101) {
      return { observed: 'occurs', how: 'T2 read 101, a value T1 replaced before it committed' };
    }
    return {
      observed: 'prevented',
      how: `reads never saw the intermediate 101: T2 read ${before} before T1 committed and ${after} after`,
    };
  },
};

const g1c: AnomalyScript = {
  id: 'G1c',
  name: 'circular information flow',
  summary: 'two transactions each read the other’s uncommitted write',
  sessions: ['T1', 'T2'],
  steps: [
    update('T1', 1, 11),
    update('T2', 2, 22),
    select('T1', 'id = 2', 't1-reads'),
    select('T2', 'id = 1', 't2-reads'),
    commit('T1'),
    commit('T2'),
  ],
  judge(run) {
    const t1Saw = valueIn(run.step('t1-reads').rows, 2);
    const t2Saw = valueIn(run.step('t2-reads').rows, 1);
    if (t1Saw === 22 && t2Saw === 11) {
      return { observed: 'occurs', how: 'T1 read T2’s uncommitted 22 and T2 read T1’s uncommitted 11' };
    }
    return {
      observed: 'prevented',
      how: `reads never saw the other's write: T1 read row 2 = ${t1Saw}, T2 read row 1 = ${t2Saw}`,
    };
  },
};

const otv: AnomalyScript = {
  id: 'OTV',
  name: 'observed transaction vanishes',
  summary: 'a reader sees part of one transaction’s writes mixed with another’s',
  sessions: ['T1', 'T2', 'T3'],
  steps: [
    update('T1', 1, 11),
    update('T1', 2, 19),
    update('T2', 1, 12, 'overwrite'),
    commit('T1'),
    select('T3', '', 'read-1'),
    update('T2', 2, 18),
    select('T3', '', 'read-2'),
    commit('T2'),
    select('T3', '', 'read-3'),
    commit('T3'),
  ],
  judge(run) {
    const states = ['read-1', 'read-2', 'read-3'].map((label) => run.step(label).rows);
    const mixed = states.find((rows) => {
      const pair = `${valueIn(rows, 1)},${valueIn(rows, 2)}`;
      return pair === '11,18' || pair === '12,19';
    });
    if (mixed)
      return { observed: 'occurs', how: `T3 saw ${showRows(mixed)}: one row from T1, the other from T2` };
    const distinct = [...new Set(states.map(showRows))];
    const overwrite = run.step('overwrite');
    return {
      observed: 'prevented',
      how: `${waited(overwrite, 'wrote')}; T3 only saw whole transactions: ${distinct.join(', then ')}`,
    };
  },
};

const pmp: AnomalyScript = {
  id: 'PMP',
  name: 'predicate-many-preceders',
  summary: 'a search repeated in one transaction finds a row committed in between',
  sessions: ['T1', 'T2'],
  steps: [
    select('T1', 'value = 30', 'first'),
    { session: 'T2', sql: 'INSERT INTO test (id, value) VALUES (3, 30)' },
    commit('T2'),
    select('T1', 'value % 3 = 0', 'second'),
    commit('T1'),
  ],
  judge(run) {
    const first = run.step('first').rows;
    const second = run.step('second').rows;
    if (first.length === 0 && valueIn(second, 3) === 30) {
      return {
        observed: 'occurs',
        how: 'T1’s first search found no rows, its second found row 3, which T2 committed in between',
      };
    }
    return {
      observed: 'prevented',
      how: `T1’s second search did not see T2’s committed row 3 (${showRows(second)}): one snapshot for the whole transaction`,
    };
  },
};

const p4: AnomalyScript = {
  id: 'P4',
  name: 'lost update',
  summary: 'two read-modify-write transactions both commit; one write is lost',
  sessions: ['T1', 'T2'],
  steps: [
    select('T1', 'id = 1'),
    select('T2', 'id = 1'),
    update('T1', 1, 11),
    update('T2', 1, 11, 'second-write'),
    commit('T1'),
    commit('T2'),
  ],
  judge(run) {
    const write = run.step('second-write');
    if (run.committed('T1') && run.committed('T2')) {
      return {
        observed: 'occurs',
        how: `${waited(write, 'overwrote it')}: both read 10 and committed 11, so one update is lost`,
      };
    }
    const failure = firstFailure(run, ['T2', 'T1']);
    const how = write.status === 'error' || !failure ? waited(write, 'wrote') : failed(failure);
    return { observed: 'prevented', how };
  },
};

const gSingle: AnomalyScript = {
  id: 'G-single',
  name: 'read skew',
  summary: 'a transaction sees one row before another’s commit and a related row after it',
  sessions: ['T1', 'T2'],
  steps: [
    select('T1', 'id = 1', 'row-1'),
    select('T2', 'id = 1'),
    select('T2', 'id = 2'),
    update('T2', 1, 12),
    update('T2', 2, 18),
    commit('T2'),
    select('T1', 'id = 2', 'row-2'),
    commit('T1'),
  ],
  judge(run) {
    const one = valueIn(run.step('row-1').rows, 1);
    const two = valueIn(run.step('row-2').rows, 2);
    if (one === 10 && two === 18) {
      return {
        observed: 'occurs',
        how: 'T1 read row 1 = 10 before T2 committed and row 2 = 18 after: a total of 28 that never existed',
      };
    }
    const failure = firstFailure(run, ['T1', 'T2']);
    if (failure) return { observed: 'prevented', how: failed(failure) };
    return {
      observed: 'prevented',
      how: `T1 read row 1 = ${one} and row 2 = ${two} from its snapshot, though T2 had committed 12 and 18`,
    };
  },
};

const writeSkewVerdict = (run: RunView, occurs: string): Judgement => {
  if (run.committed('T1') && run.committed('T2')) return { observed: 'occurs', how: occurs };
  const failure = firstFailure(run, ['T1', 'T2']);
  return { observed: 'prevented', how: failure ? failed(failure) : 'one transaction did not commit' };
};

const g2Item: AnomalyScript = {
  id: 'G2-item',
  name: 'write skew',
  summary: 'two transactions read the same rows, then each updates a different one',
  sessions: ['T1', 'T2'],
  steps: [
    select('T1', 'id IN (1, 2)'),
    select('T2', 'id IN (1, 2)'),
    update('T1', 1, 11),
    update('T2', 2, 21),
    commit('T1'),
    commit('T2'),
  ],
  judge: (run) =>
    writeSkewVerdict(
      run,
      'both committed, each having changed a row the other had read: no serial order gives that',
    ),
};

const g2: AnomalyScript = {
  id: 'G2',
  name: 'anti-dependency cycle (phantom write skew)',
  summary: 'two transactions search, find nothing, and each inserts a row the other’s search would find',
  sessions: ['T1', 'T2'],
  steps: [
    select('T1', 'value % 3 = 0'),
    select('T2', 'value % 3 = 0'),
    { session: 'T1', sql: 'INSERT INTO test (id, value) VALUES (3, 30)' },
    { session: 'T2', sql: 'INSERT INTO test (id, value) VALUES (4, 42)' },
    commit('T1'),
    commit('T2'),
  ],
  judge: (run) =>
    writeSkewVerdict(run, 'both committed, each inserting a row the other’s search (value % 3 = 0) missed'),
};

export const ANOMALIES: readonly AnomalyScript[] = [g0, g1a, g1b, g1c, otv, pmp, p4, gSingle, g2Item, g2];
