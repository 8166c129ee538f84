import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { commandPrefix, inContext } from '../src/report/invocation.js';
import { verdictJson } from '../src/report/json.js';
import { renderVerdict } from '../src/report/plain.js';
import { failingStep, foldRepeats, layoutTimeline } from '../src/report/timeline.js';
import { layoutLines, layoutVerdict } from '../src/report/verdict.js';
import { wrap } from '../src/report/wrap.js';
import { Line } from '../src/ui/Line.js';
import { replayName } from '../src/workspace/replays.js';
import { failedVerdict, loopingVerdict, passedVerdict } from './ui-fixtures.js';

const inkText = (verdict = failedVerdict) =>
  layoutLines(layoutVerdict(verdict, { width: 100, mode: 'screen' }))
    .map((line) => render(<Line line={line} />).lastFrame() ?? '')
    .join('\n');

describe('one layout of a verdict', () => {
  it('marks the same step in plain text, on the Ink screen and in JSON', () => {
    const plain = renderVerdict(failedVerdict, { width: 100, color: false }).join('\n');
    const marked = (text: string) => text.split('\n').filter((line) => line.startsWith('▶'));
    expect(marked(plain)).toEqual([expect.stringMatching(/^▶ 6 +kv\.set\('home', 1\) → ok/)]);
    expect(marked(inkText())).toEqual(marked(plain));
    expect(verdictJson(failedVerdict).failingStep).toBe(5);
    expect(failingStep(failedVerdict)).toBe(5);
  });

  it('marks a caller’s last effect, not a background step after it (a TTL firing)', () => {
    const schedule = [
      ...failedVerdict.schedule,
      { task: 'background', op: 'TTL of lock:job fires', args: [], result: '(t=10000 ms)' },
    ];
    expect(failingStep({ schedule })).toBe(5);
  });

  it('has the replay line, the workload above the timeline and the notes below the verdict line, in both', () => {
    const verdict = { ...failedVerdict, notes: ['progress could not be saved (EACCES)'] };
    for (const text of [renderVerdict(verdict, { width: 100, color: false }).join('\n'), inkText(verdict)]) {
      expect(text).toContain('--replay TOKEN');
      expect(text.indexOf("workload: 2 callers: hit('home'), hit('home')")).toBeLessThan(
        text.indexOf('#  t1'),
      );
      expect(text.indexOf('✗ failed')).toBeLessThan(text.indexOf('note: progress could not be saved'));
    }
  });

  it('gives the replay by its short name where asked (the tutor), whole, at 60 columns too', () => {
    const long = { ...failedVerdict, replay: `WzIs${'x'.repeat(400)}` };
    const lines = layoutLines(layoutVerdict(long, { width: 60, mode: 'screen', replayByName: true }));
    const replay = lines
      .map((line) => line.map((p) => p.text).join(''))
      .filter((l) => l.includes('--replay'));
    expect(replay).toEqual([expect.stringContaining(`--replay ${replayName(long.replay)}`)]);
    expect(replay[0]!.length).toBeLessThanOrEqual(60);
  });

  it('folds a timer firing again and again into one row that spans its virtual times', () => {
    const fires = Array.from({ length: 5 }, (_, i) => ({
      task: 't3',
      op: 'setTimeout',
      args: [10],
      result: `fires (t=${(i + 1) * 10} ms)`,
    }));
    const schedule = [{ task: 't3', op: 'call', args: [], result: "t3 hit('home')" }, ...fires];
    expect(foldRepeats(schedule)).toEqual([
      { first: 0, block: 1, times: 1 },
      { first: 1, block: 1, times: 5 },
    ]);
    const { rows } = layoutTimeline({ schedule, tasks: ["t3 hit('home')"] }, 100);
    expect(rows).toHaveLength(2);
    expect(rows[1]!.lines.join(' ')).toMatch(/^ *2–6 +setTimeout\(10\) fires \(t=10–50 ms\) ×5$/);
  });

  it('names the workload once, on its own line, above the timeline', () => {
    for (const text of [
      renderVerdict(failedVerdict, { width: 100, color: false }).join('\n'),
      inkText(failedVerdict),
    ]) {
      expect(text.split(failedVerdict.workload!).length - 1).toBe(1);
      expect(text).toContain(`workload: ${failedVerdict.workload}`);
    }
  });

  it('says in text what to type next, and what was explored', () => {
    const text = renderVerdict(failedVerdict, { width: 100, color: false }).join('\n');
    expect(text).toMatch(/▶ marks the step that broke it · stuck\? .*hint counter/);
    expect(text).toContain('explored: failed after 1 schedule');
  });

  it('on a pass: what was proven, progress and the next exercise', () => {
    const text = renderVerdict(passedVerdict, {
      width: 100,
      color: false,
      progress: { done: 4, total: 18, next: { id: 'cache', title: 'The cache that stampedes' } },
    }).join('\n');
    expect(text).toMatch(/^✓ passed counter · 40 ms\n {2}every invariant held in all 924 schedules/);
    expect(text).toMatch(/█{4}░{16} 4 of 18 exercises done/);
    expect(text).toMatch(/next: cache — The cache that stampedes · .*check cache/);
  });

  it('colours only when asked: red for failed, yellow for the marked step', () => {
    const plain = renderVerdict(failedVerdict, { width: 100, color: false }).join('\n');
    expect(plain).not.toContain('\u001b[');
    const coloured = renderVerdict(failedVerdict, { width: 100, color: true }).join('\n');
    expect(coloured).toContain('\u001b[31m✗ failed');
    expect(coloured).toContain('\u001b[33m▶ 6');
  });
});

describe('the timeline', () => {
  it('folds a run of one repeated step into one row that says how many', () => {
    const layout = layoutTimeline(loopingVerdict, 100);
    expect(layout.rows).toHaveLength(3);
    expect(layout.rows[2]!.lines[0]).toMatch(/^ {2}3–400 +kv\.get\('home'\) → undefined ×398$/);
    expect(layout.rows[layout.marked]!.first).toBe(2);
  });

  it('folds a repeated block of steps (two tasks polling in turn) and keeps one copy of it', () => {
    const poll = (task: string) => ({ task, op: 'kv.get', args: ['lock'], result: '→ 1' });
    const schedule = Array.from({ length: 40 }, (_, i) => poll(i % 2 === 0 ? 't1' : 't2'));
    expect(foldRepeats(schedule)).toEqual([{ first: 0, block: 2, times: 20 }]);
    const layout = layoutTimeline({ schedule, tasks: ['t1 a()', 't2 b()'] }, 100);
    const rows = layout.rows.map((row) => row.lines[0]!.replace(/ +/g, ' ').trim());
    expect(rows).toEqual([
      "1 kv.get('lock') → 1",
      "2 kv.get('lock') → 1",
      '⋮ the 2 steps above repeat 19 more times (steps 3–40)',
    ]);
    // The second step sits in t2's column.
    expect(layout.rows[1]!.lines[0]!.indexOf('kv.get')).toBe(layout.header.indexOf('t2 b()'));
  });

  it('keeps two identical rows as they are: only three or more fold', () => {
    const step = { task: 't1', op: 'kv.get', args: ['a'], result: '→ 1' };
    expect(foldRepeats([step, step]).map((run) => run.times)).toEqual([1, 1]);
  });

  it('shows a statement with its parameters in place, wrapped in its column rather than cut', () => {
    const sql = 'UPDATE accounts SET balance = balance - $1 WHERE id = $2 AND balance >= $1';
    const layout = layoutTimeline(
      {
        tasks: ['t1 withdraw(1, 60)', 't2 withdraw(1, 50)'],
        schedule: [
          { task: 't1', op: 'call', args: [], result: '' },
          { task: 't1', op: sql, args: [60, 1], result: '→ UPDATE 1' },
          { task: 't2', op: 'COMMIT', args: [], result: '(autocommit) → ok' },
        ],
      },
      80,
    );
    const text = layout.rows[1]!.lines.map((line) => line.slice(5).trim()).join(' ');
    expect(layout.rows[1]!.lines.length).toBeGreaterThan(1);
    expect(text).toBe('UPDATE accounts SET balance = balance - 60 WHERE id = 1 AND balance >= 60 → UPDATE 1');
  });
});

describe('wrap', () => {
  it('breaks at spaces, keeps newlines, and ends a cut text with …', () => {
    expect(wrap('one two three four', 9)).toEqual(['one two', 'three', 'four']);
    expect(wrap('a\n\nb', 10)).toEqual(['a', '', 'b']);
    expect(wrap('one two three four', 9, { maxLines: 2 })).toEqual(['one two', 'three…']);
  });
});

describe('commands as the learner typed them', () => {
  it('names the way racelings was started', () => {
    const clone = { npm_lifecycle_event: 'start', npm_package_name: 'racelings' };
    const bin = '/clone/dist/bin.js';
    expect(commandPrefix(clone, bin, '/clone', bin)).toBe('npm start --');
    expect(commandPrefix({ npm_command: 'exec' }, bin, '/ws', bin)).toBe('npx racelings');
    expect(commandPrefix({}, bin, '/clone', bin)).toBe('node dist/bin.js');
    expect(commandPrefix({}, bin, '/elsewhere', bin)).toBe('node /clone/dist/bin.js');
    // Not racelings' own bin (a test runner, a script): the documented command.
    expect(commandPrefix(clone, '/clone/node_modules/vitest/vitest.mjs', '/clone', bin)).toBe('racelings');
  });

  it('rewrites every `racelings <command>` in a text, and nothing else', () => {
    const text =
      "Run `racelings check counter`, or 'racelings hint counter'; keep racelings open; see .racelings/state.json";
    expect(inContext(text, 'npm start --')).toBe(
      "Run `npm start -- check counter`, or 'npm start -- hint counter'; keep racelings open; see .racelings/state.json",
    );
    expect(inContext(text, 'racelings')).toBe(text);
  });
});
