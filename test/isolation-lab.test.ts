import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { labCommand } from '../src/commands/lab.js';
import { ANOMALIES, type IsolationLevel, runAnomaly } from '../src/labs/isolation-lab.js';
import { getPostgres, type PgServer, stopPostgres } from '../src/postgres/server.js';

/**
 * What PostgreSQL documents (and Hermitage observed): READ COMMITTED stops only dirty writes and dirty
 * reads; REPEATABLE READ is snapshot isolation, so it stops lost updates and read skew but not write
 * skew; SERIALIZABLE (SSI) stops write skew by aborting a transaction with 40001.
 */
const EXPECTED: Record<string, [string, string, string]> = {
  G0: ['prevented', 'prevented', 'prevented'],
  G1a: ['prevented', 'prevented', 'prevented'],
  G1b: ['prevented', 'prevented', 'prevented'],
  G1c: ['prevented', 'prevented', 'prevented'],
  OTV: ['prevented', 'prevented', 'prevented'],
  PMP: ['occurs', 'prevented', 'prevented'],
  P4: ['occurs', 'prevented', 'prevented'],
  'G-single': ['occurs', 'prevented', 'prevented'],
  'G2-item': ['occurs', 'occurs', 'prevented'],
  G2: ['occurs', 'occurs', 'prevented'],
};
const LEVELS: IsolationLevel[] = ['READ COMMITTED', 'REPEATABLE READ', 'SERIALIZABLE'];

const script = (id: string) => ANOMALIES.find((s) => s.id === id)!;

describe('the isolation lab', () => {
  let server: PgServer;

  beforeAll(async () => {
    delete process.env.DATABASE_URL;
    server = await getPostgres();
  });

  afterAll(() => stopPostgres());

  it('observes what PostgreSQL documents, and prints it as JSON only', async () => {
    const written: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    try {
      expect(await labCommand({ name: 'isolation', json: true, verbose: false, color: false })).toBe(0);
    } finally {
      write.mockRestore();
    }
    const rows = JSON.parse(written.join('')) as Record<string, unknown>[];
    for (const row of rows) {
      expect(Object.keys(row).sort()).toEqual(['anomaly', 'how', 'level', 'observed']);
      expect(typeof row.how).toBe('string');
    }
    const table = Object.fromEntries(
      Object.keys(EXPECTED).map((anomaly) => [
        anomaly,
        LEVELS.map((level) => rows.find((r) => r.anomaly === anomaly && r.level === level)?.observed),
      ]),
    );
    expect(table).toEqual(EXPECTED);
    expect(rows).toHaveLength(30);
  });

  it('prints the table a row at a time, as each anomaly completes, each named in words (issue 12, point 7)', async () => {
    const writes: { at: number; text: string }[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      writes.push({ at: performance.now(), text: String(chunk) });
      return true;
    });
    try {
      expect(await labCommand({ name: 'isolation', json: false, verbose: true, color: false })).toBe(0);
    } finally {
      write.mockRestore();
    }
    const rows = writes.filter((w) => /^(G0|G1a|G1b|G1c|OTV|PMP|P4|G-single|G2-item|G2) {2,}\S/.test(w.text));
    expect(rows).toHaveLength(10);
    // Written one by one while the lab ran, not all at the end.
    expect(rows.at(-1)!.at - rows[0]!.at).toBeGreaterThan(0);
    expect(writes.findIndex((w) => w.text.startsWith('G2 '))).toBeGreaterThan(
      writes.findIndex((w) => w.text.startsWith('G0 ')),
    );
    expect(rows.find((w) => w.text.startsWith('OTV'))!.text).toContain('observed transaction vanishes');
    // --verbose: each anomaly once, with one line per level, not an interleaving per level.
    const text = writes.map((w) => w.text).join('');
    expect(text.match(/^G-single — read skew: /gm)).toHaveLength(1);
    expect(text.split('\n').length).toBeLessThan(200);
  });

  it('sees a statement wait on a lock, and the other session go on meanwhile', async () => {
    const result = await runAnomaly(server, script('P4'), 'REPEATABLE READ');
    const steps = result.events.map(
      (e) => `${e.session} ${e.status}${e.resumed ? ' (resumed)' : ''} ${e.sql}`,
    );
    const blocked = steps.indexOf('T2 blocked UPDATE test SET value = 11 WHERE id = 1');
    expect(blocked).toBeGreaterThan(0);
    expect(steps[blocked + 1]).toBe('T1 done COMMIT');
    expect(steps[blocked + 2]).toBe('T2 failed (resumed) UPDATE test SET value = 11 WHERE id = 1');
    expect(result.events[blocked + 2]?.result).toMatch(
      /^40001 could not serialize access due to concurrent update/,
    );
    expect(result.how).toBe(
      'T2 blocked until T1 committed, then aborted with 40001 could not serialize access due to concurrent update',
    );
  });

  it('at READ COMMITTED the waiting update goes ahead and overwrites: a lost update', async () => {
    const result = await runAnomaly(server, script('P4'), 'READ COMMITTED');
    expect(result.observed).toBe('occurs');
    const resumed = result.events.find((e) => e.resumed);
    expect(resumed).toMatchObject({ session: 'T2', status: 'done', result: 'UPDATE 1' });
  });

  it('SERIALIZABLE stops write skew by failing a commit with 40001, not by blocking', async () => {
    const result = await runAnomaly(server, script('G2-item'), 'SERIALIZABLE');
    expect(result.events.some((e) => e.status === 'blocked')).toBe(false);
    const failed = result.events.filter((e) => e.status === 'failed');
    expect(failed.map((e) => [e.session, e.sql])).toEqual([['T2', 'COMMIT']]);
    expect(failed[0]?.result).toMatch(/^40001 could not serialize access due to read\/write dependencies/);
  });

  it('runs each script in a database of its own', async () => {
    const [a, b] = await Promise.all([
      runAnomaly(server, script('G2'), 'READ COMMITTED'),
      runAnomaly(server, script('G2'), 'READ COMMITTED'),
    ]);
    expect([a.observed, b.observed]).toEqual(['occurs', 'occurs']);
    expect(a.events.filter((e) => e.status === 'failed')).toEqual([]);
  });
});
