import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ANOMALIES, type IsolationLevel, type LabEvent, runAnomaly } from '../src/labs/isolation-lab.js';
import { getPostgres, type PgServer, stopPostgres } from '../src/postgres/server.js';
import { type Card, loadCards } from '../src/quiz/cards.js';

/**
 * The "predict the database" cards (ids `pd-*`) show a script of the isolation lab and key the answer
 * to what PostgreSQL did with it. Each entry says which script and level the card shows, and how each
 * session ended according to the card's keyed answer; the test runs the lab and compares.
 */
const PREDICTIONS: Record<string, { anomaly: string; level: IsolationLevel; ends: Record<string, string> }> =
  {
    'pd-p4-read-committed': {
      anomaly: 'P4',
      level: 'READ COMMITTED',
      ends: { T1: 'committed', T2: 'committed' },
    },
    'pd-p4-repeatable-read': {
      anomaly: 'P4',
      level: 'REPEATABLE READ',
      ends: { T1: 'committed', T2: '40001 at UPDATE' },
    },
    'pd-write-skew-repeatable-read': {
      anomaly: 'G2-item',
      level: 'REPEATABLE READ',
      ends: { T1: 'committed', T2: 'committed' },
    },
    'pd-write-skew-serializable': {
      anomaly: 'G2-item',
      level: 'SERIALIZABLE',
      ends: { T1: 'committed', T2: '40001 at COMMIT' },
    },
    'pd-read-skew-read-committed': {
      anomaly: 'G-single',
      level: 'READ COMMITTED',
      ends: { T1: 'committed', T2: 'committed' },
    },
    'pd-circular-serializable': {
      anomaly: 'G1c',
      level: 'SERIALIZABLE',
      ends: { T1: 'committed', T2: '40001 at COMMIT' },
    },
  };

const root = path.resolve(import.meta.dirname, '..');
const lessons = (
  parse(readFileSync(path.join(root, 'content', 'course.yaml'), 'utf8')) as { lessons: string[] }
).lessons;
const cards = await loadCards(root, lessons);
const predictCards = cards.filter((card) => card.id.startsWith('pd-'));

/** How each session ended: its first failure ("40001 at UPDATE"), else whether its COMMIT committed. */
function endings(events: readonly LabEvent[]): Record<string, string> {
  const ends: Record<string, string> = {};
  for (const event of events) {
    if (event.status === 'blocked' || ends[event.session]?.includes(' at ')) continue;
    if (event.status === 'failed') {
      ends[event.session] = `${event.result.split(' ')[0]} at ${event.sql.split(' ')[0]}`;
    } else if (/^commit\b/i.test(event.sql)) {
      ends[event.session] = event.result === 'COMMIT' ? 'committed' : 'rolled back';
    }
  }
  return ends;
}

/** The "T1  SELECT …" lines of a card's question, as [session, sql]. */
function scriptOf(card: Card): [string, string][] {
  const text = card.format === 'single' ? card.question : '';
  return [...text.matchAll(/^\s+(T\d) {2}(.+)$/gm)].map((m) => [m[1]!, m[2]!.trim()]);
}

describe('predict-the-database cards', () => {
  let server: PgServer;

  beforeAll(async () => {
    delete process.env.DATABASE_URL;
    server = await getPostgres();
  });

  afterAll(() => stopPostgres());

  it('are 4 to 6 single-choice cards, each backed by a lab run below', () => {
    expect(predictCards.length).toBeGreaterThanOrEqual(4);
    expect(predictCards.length).toBeLessThanOrEqual(6);
    expect(predictCards.map((card) => card.id).sort()).toEqual(Object.keys(PREDICTIONS).sort());
    for (const card of predictCards) expect(card.format).toBe('single');
  });

  it.each(Object.entries(PREDICTIONS))(
    '%s shows the lab script, and its answer is what PostgreSQL did',
    async (id, { anomaly, level, ends }) => {
      const card = predictCards.find((c) => c.id === id)!;
      const script = ANOMALIES.find((s) => s.id === anomaly)!;
      expect(scriptOf(card)).toEqual(script.steps.map((step) => [step.session, step.sql]));
      expect(card.format === 'single' && card.question).toContain(level);

      const result = await runAnomaly(server, script, level);
      expect(endings(result.events)).toEqual(ends);
      // The explanation quotes the lab's own account of the run, word for word.
      expect(card.explanation).toContain(`"${result.how}"`);
    },
  );
});
