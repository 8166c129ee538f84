import { describe, expect, it } from 'vitest';
import type { IsolationResult } from '../src/labs/isolation-lab.js';
import {
  renderIsolationAnomaly,
  renderIsolationDetails,
  renderIsolationHeader,
  renderIsolationRow,
  renderIsolationTitle,
} from '../src/report/isolation.js';

const renderIsolationTable = (results: IsolationResult[], options: { color: boolean }) =>
  [renderIsolationHeader(options), renderIsolationRow('P4', results, options)].join('\n');

const p4 = (level: IsolationResult['level'], observed: IsolationResult['observed']): IsolationResult => ({
  anomaly: 'P4',
  level,
  observed,
  how: observed === 'occurs' ? 'both committed' : 'T2 aborted with 40001',
  events: [
    {
      session: 'T2',
      sql: 'UPDATE test SET value = 11 WHERE id = 1',
      status: 'blocked',
      resumed: false,
      result: 'waiting for a lock',
    },
    { session: 'T1', sql: 'COMMIT', status: 'done', resumed: false, result: 'COMMIT' },
    {
      session: 'T2',
      sql: 'UPDATE test SET value = 11 WHERE id = 1',
      status: 'failed',
      resumed: true,
      result: '40001 could not serialize',
    },
  ],
});
const rows = [
  p4('READ COMMITTED', 'occurs'),
  p4('REPEATABLE READ', 'prevented'),
  p4('SERIALIZABLE', 'prevented'),
];
const ESC = String.fromCharCode(27);

describe('the isolation table', () => {
  it('has one line per anomaly, with a column per level', () => {
    const lines = renderIsolationTable(rows, { color: false }).split('\n');
    expect(lines[0]).toMatch(/^anomaly\s+READ COMMITTED\s+REPEATABLE READ\s+SERIALIZABLE$/);
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(/^P4 {2,}lost update {2,}occurs\s+prevented\s+prevented$/),
    ]);
  });

  it('keeps its columns aligned with colour on, and has no escape codes with colour off', () => {
    const plain = renderIsolationTable(rows, { color: false });
    const colored = renderIsolationTable(rows, { color: true });
    expect(plain).not.toContain(ESC);
    expect(colored).toContain(ESC);
    expect(colored.replace(new RegExp(`${ESC}\\[\\d+m`, 'g'), '')).toBe(plain);
  });

  it('shows an anomaly once: a line per level, then the script as it ran where the anomaly occurred', () => {
    const text = renderIsolationAnomaly(rows, { color: false });
    expect(text.split('\n')).toEqual([
      'P4 — lost update: two read-modify-write transactions both commit; one write is lost',
      '  READ COMMITTED   occurs     both committed',
      '  REPEATABLE READ  prevented  T2 aborted with 40001',
      '  SERIALIZABLE     prevented  T2 aborted with 40001',
      '  the script, as it ran at READ COMMITTED:',
      '    T2  UPDATE test SET value = 11 WHERE id = 1            … waiting for a lock',
      '    T1  COMMIT                                             COMMIT',
      '    T2  (resumed) UPDATE test SET value = 11 WHERE id = 1  ERROR 40001 could not serialize',
    ]);
  });

  it('names the server, and gives one block per anomaly for --verbose', () => {
    const server = { version: '18.4', source: 'embedded' as const };
    expect(renderIsolationTitle({ color: false, server })).toBe(
      'Isolation anomalies on PostgreSQL 18.4 (embedded)',
    );
    const details = renderIsolationDetails(rows, { color: false });
    expect(details.filter((line) => line.startsWith('P4 — '))).toHaveLength(1);
    expect(details.join('\n')).toContain('(resumed)');
  });
});
