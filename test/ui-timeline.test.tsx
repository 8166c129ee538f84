import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { failingStep, Timeline } from '../src/ui/Timeline.js';
import { failedVerdict } from './ui-fixtures.js';

describe('Timeline', () => {
  it('draws one column per task, one row per step in global order, and the invariant at the end', () => {
    const frame = render(<Timeline verdict={failedVerdict} width={100} />).lastFrame() ?? '';
    const rows = frame.split('\n');
    const header = rows[0]!;
    expect(header).toContain("t1 hit('home')");
    expect(header).toContain("t2 hit('home')");
    const t2Column = header.indexOf("t2 hit('home')");
    // Step 4 is t2's read: it sits in t2's column; step 3 is t1's, in the first column.
    const step3 = rows.find((r) => /^\s*3 /.test(r))!;
    const step4 = rows.find((r) => /^\s*4 /.test(r))!;
    expect(step3.indexOf('kv.get')).toBeLessThan(t2Column);
    expect(step4.indexOf('kv.get')).toBe(t2Column);
    expect(rows.filter((r) => /^[\s▶]*\d+ /.test(r))).toHaveLength(failedVerdict.schedule.length);
    expect(rows.at(-1)).toContain('✗ the store holds 1 after 2 hits');
  });

  it('marks the failing step: the last effect before the invariant broke', () => {
    expect(failingStep(failedVerdict)).toBe(5);
    const frame = render(<Timeline verdict={failedVerdict} width={100} />).lastFrame() ?? '';
    const marked = frame.split('\n').filter((r) => r.startsWith('▶'));
    expect(marked).toHaveLength(1);
    expect(marked[0]).toMatch(/^▶ 6 +kv\.set\('home', 1\) → ok/);
  });

  it('marks a step that threw rather than the last one', () => {
    const schedule = [...failedVerdict.schedule];
    schedule[2] = { task: 't1', op: 'throw', args: [], result: '✗ throws Error: boom' };
    expect(failingStep({ schedule })).toBe(2);
  });

  it('shows a statement with its parameters in place, wrapped in its column rather than cut', () => {
    const sql = 'UPDATE accounts SET balance = balance - $1 WHERE id = $2 AND balance >= $1';
    const verdict = {
      tasks: ['t1 withdraw(1, 60)', 't2 withdraw(1, 50)'],
      invariant: 'the balance went negative',
      schedule: [
        { task: 't1', op: 'call', args: [], result: '' },
        { task: 't1', op: sql, args: [60, 1], result: '→ UPDATE 1' },
        { task: 't2', op: 'call', args: [], result: '' },
        { task: 't1', op: 'COMMIT', args: [], result: '(autocommit) → ok' },
      ],
    };
    const frame = render(<Timeline verdict={verdict} width={80} />).lastFrame() ?? '';
    const rows = frame.split('\n');
    const start = rows.findIndex((r) => /^[\s▶]*2 /.test(r));
    const next = rows.findIndex((r) => /^[\s▶]*3 /.test(r));
    // Step 2 takes the lines up to step 3, all in t1's column, and nothing of it is lost.
    expect(next - start).toBeGreaterThan(1);
    const text = rows
      .slice(start, next)
      .map((r) => r.slice(5).trim())
      .join(' ');
    expect(text).toBe('UPDATE accounts SET balance = balance - 60 WHERE id = 1 AND balance >= 60 → UPDATE 1');
    expect(frame).toContain('COMMIT (autocommit) → ok');
  });
});
