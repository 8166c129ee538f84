import { afterAll, describe, expect, it } from 'vitest';
import { labCommand } from '../src/commands/lab.js';
import { GOTCHAS, type LocksLabResult, runLocksLab, VARIANTS } from '../src/labs/locks-lab.js';
import { getRedis, RedisUnavailable, stopRedis } from '../src/redis/server.js';
import { renderLocksHeader, renderLocksRow, renderLocksSteps } from '../src/report/locks.js';
import { tempDir } from './temp.js';

describe('racelings lab locks, on a real Redis', () => {
  afterAll(() => stopRedis());

  it('each gotcha happens without its fix and is prevented with it, judged by what the server holds', async () => {
    const heard: string[] = [];
    const results = await runLocksLab(await getRedis(), (r) => heard.push(`${r.gotcha}/${r.variant}`));
    const table = results.map((r) => [r.gotcha, r.variant, r.observed]);
    expect(table).toEqual(
      GOTCHAS.flatMap((g) => [
        [g.id, 'without the fix', 'occurs'],
        [g.id, 'with the fix', 'prevented'],
      ]),
    );
    expect(heard).toEqual(results.map((r) => `${r.gotcha}/${r.variant}`));
  });

  it('shows the commands each client sent and the replies, time passing as a step', async () => {
    const results = await runLocksLab(await getRedis());
    const pause = results.find((r) => r.gotcha === 'lease-pause' && r.variant === 'without the fix')!;
    expect(pause.steps.map((s) => `${s.actor} ${s.action} → ${s.result}`)).toEqual([
      'A SET lock:report A NX PX 10000 → OK',
      'A pauses (a GC pause, a slow call) → ',
      'clock 10 s pass → lock:report expired',
      'B SET lock:report B NX PX 10000 → OK',
      `B SET report "B's report" → OK`,
      'A wakes up, still sure it holds the lock → ',
      `A SET report "A's stale report" → OK`,
    ]);
    const crash = results.find((r) => r.gotcha === 'setnx-crash' && r.variant === 'without the fix')!;
    expect(crash.how).toMatch(/no TTL \(PTTL -1\)/);
    expect(crash.steps).toContainEqual({
      actor: 'clock',
      action: 'a day passes',
      result: 'lock:report has no TTL and stays',
    });
  });

  it('a row reads its two verdicts under the heading, and wraps its description to the width', async () => {
    const results: LocksLabResult[] = VARIANTS.map((variant, i) => ({
      gotcha: 'foreign-release',
      variant,
      observed: i === 0 ? 'occurs' : 'prevented',
      how: '',
      steps: [],
    }));
    const options = { color: false, width: 60 };
    const header = renderLocksHeader({ version: '7.0.15', where: '', source: 'private' }, options).split(
      '\n',
    );
    expect(header.at(-1)).toBe('gotcha           without the fix  with the fix');
    const row = renderLocksRow(results, 'foreign-release', options).split('\n');
    expect(row[0]).toBe('foreign-release  occurs           prevented');
    expect(row.slice(1).every((line) => line.length <= 60 && line.startsWith('  '))).toBe(true);
    expect(row.slice(1).join(' ')).toContain('compare-and-delete');
  });

  it("shows each run's steps within the terminal's width, a long command wrapped with its reply below", async () => {
    const results = await runLocksLab(await getRedis());
    for (const width of [60, 120]) {
      const text = results.map((r) => renderLocksSteps(r, { color: false, width })).join('\n');
      expect(text.split('\n').every((line) => [...line].length <= width)).toBe(true);
      expect(text).toContain('→ 0');
    }
  });

  it('without Redis it is a machine problem that says how to get Redis', async () => {
    const saved = process.env.PATH;
    await stopRedis();
    process.env.PATH = tempDir('no-redis');
    try {
      const error = await labCommand({ name: 'locks', json: true, verbose: false, color: false }).catch(
        (e) => e,
      );
      expect(error).toBeInstanceOf(RedisUnavailable);
      expect(error.exitCode).toBe(2);
    } finally {
      process.env.PATH = saved;
    }
  });
});
