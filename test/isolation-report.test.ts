import { describe, expect, it } from 'vitest';
import type { IsolationResult } from '../src/labs/isolation-lab.js';
import {
  renderIsolationInterleaving,
  renderIsolationReport,
  renderIsolationTable,
} from '../src/report/isolation.js';

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

  it('shows an interleaving with the wait and the resumed statement', () => {
    const text = renderIsolationInterleaving(rows[1]!, { color: false });
    expect(text.split('\n')).toEqual([
      'P4 lost update at REPEATABLE READ: prevented',
      '  T2 aborted with 40001',
      '    T2  UPDATE test SET value = 11 WHERE id = 1            … waiting for a lock',
      '    T1  COMMIT                                             COMMIT',
      '    T2  (resumed) UPDATE test SET value = 11 WHERE id = 1  ERROR 40001 could not serialize',
    ]);
  });

  it('prints interleavings only when verbose', () => {
    const server = { version: '18.4', source: 'embedded' as const };
    const short = renderIsolationReport(rows, { color: false, verbose: false, server });
    const long = renderIsolationReport(rows, { color: false, verbose: true, server });
    expect(short).toContain('PostgreSQL 18.4 (embedded)');
    expect(short).not.toContain('(resumed)');
    expect(long).toContain('(resumed)');
  });
});
