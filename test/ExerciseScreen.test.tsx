import { render } from 'ink-testing-library';
import { useSyncExternalStore } from 'react';
import { describe, expect, it } from 'vitest';
import { progressOf } from '../src/report/reporter.js';
import type { Session } from '../src/session/session.js';
import { ExerciseScreen } from '../src/ui/ExerciseScreen.js';
import { replayName } from '../src/workspace/replays.js';
import {
  AFTER_COUNTER,
  failedVerdict,
  heldSession,
  loopingVerdict,
  passedVerdict,
  TOTAL,
  tick,
} from './ui-fixtures.js';

/** The exercise screen of a live session, at a given terminal size. */
function Screen({ session, columns, rows }: { session: Session; columns: number; rows: number }) {
  const state = useSyncExternalStore(session.subscribe, session.snapshot);
  const exercise = state.exercises.find((e) => e.id === state.open?.id);
  if (!exercise || !state.open) return null;
  const next = state.exercises.find((e) => e.id === state.next);
  return (
    <ExerciseScreen
      exercise={exercise}
      open={state.open}
      hintsSeen={state.hints[exercise.id] ?? 0}
      progress={{ ...progressOf(state), next: next ? { id: next.id, title: next.title } : null }}
      manual={state.manual}
      notice={state.notice}
      color={false}
      columns={columns}
      rows={rows}
      interactive
      send={(event) => session.dispatch(event)}
    />
  );
}

async function mount(size: { columns: number; rows: number } = { columns: 120, rows: 40 }) {
  const held = await heldSession({ route: { name: 'exercise', id: 'counter', back: 'quit' } });
  const app = render(<Screen session={held.session} {...size} />);
  await tick();
  const frame = () => app.lastFrame() ?? '';
  const press = async (keys: string) => {
    app.stdin.write(keys);
    await tick();
  };
  const verdict = async (v = failedVerdict) => {
    await held.grader.finish(v);
    await held.session.idle();
    await tick();
  };
  return { ...held, app, frame, press, verdict };
}

describe('the exercise screen (watch mode)', () => {
  it('keeps the progress in the title line whole at 60 columns: the title gives way', async () => {
    const { frame } = await mount({ columns: 60, rows: 30 });
    const title = frame().split('\n')[0]!;
    expect(title).toMatch(new RegExp(`^counter — The view .*… · async · 0 of ${TOTAL} done$`));
    expect(title.length).toBeLessThanOrEqual(60);
  });

  it('names the pane it scrolls by what it shows: the solution, once s has opened it', async () => {
    const { frame, verdict, press } = await mount({ columns: 100, rows: 24 });
    await verdict(passedVerdict);
    await press('s');
    expect(frame()).toContain('scroll the solution');
    expect(frame()).not.toContain('scroll the statement');
  });

  it('shows the title once, the file, the statement, and a spinner while the first grading runs', async () => {
    const { frame } = await mount();
    expect(frame()).toContain(`counter — The view counter that loses hits · async · 0 of ${TOTAL} done`);
    expect(frame()).toContain('file exercises/counter/counter.ts');
    expect(frame()).toContain('What it is for.');
    // The statement's own heading repeats the title: it is left out (issue 12, point 10).
    expect(frame().match(/the view counter that loses hits/gi)).toHaveLength(1);
    expect(frame()).toContain('checking…');
  });

  it('acknowledges every save: checked at a time, with the save count, also when the verdict is the same (point 2)', async () => {
    const { frame, verdict, session, place } = await mount();
    await verdict();
    expect(frame()).toMatch(/✗ failed · 40 ms · checked \d\d:\d\d:\d\d\n/);
    const file = session.watchedFile()!;
    session.dispatch({ type: 'saved', file });
    await tick();
    expect(frame()).toContain('checking (save 1)…');
    await verdict();
    expect(frame()).toMatch(/✗ failed · 40 ms · checked \d\d:\d\d:\d\d · save 1/);
    session.dispatch({ type: 'saved', file });
    await verdict();
    expect(frame()).toContain('· save 2');
    expect(place.ws.dir).toBeTruthy();
  });

  it('draws the failing timeline with its header, workload, marked step, invariant and replay line', async () => {
    const { frame, verdict } = await mount();
    await verdict();
    const screen = frame();
    expect(screen).toContain("workload: 2 callers: hit('home'), hit('home')");
    expect(screen.indexOf('workload:')).toBeLessThan(screen.indexOf("#  t1 hit('home')"));
    expect(screen).toMatch(/^▶ 6 +kv\.set\('home', 1\) → ok/m);
    expect(screen).toContain('✗ the store holds 1 after 2 hits');
    expect(screen).toContain('replay: ');
    // By its short name, which fits the screen (the session keeps the token under it).
    expect(screen).toContain(`--replay ${replayName('TOKEN')}`);
    expect(screen).toContain('▶ the step that broke it');
  });

  it('shows notes below the verdict line', async () => {
    const { frame, verdict } = await mount();
    await verdict({
      ...passedVerdict,
      notes: ['37 kv.get polls for 2 hits: await a promise instead of polling'],
    });
    expect(frame()).toContain('note: 37 kv.get polls for 2 hits');
    expect(frame().indexOf('✓ passed')).toBeLessThan(frame().indexOf('note: 37'));
  });

  it('folds a 400-step trace of repeats into a few rows, keeping the header and the verdict in view (point 1)', async () => {
    const { frame, verdict } = await mount({ columns: 60, rows: 20 });
    await verdict(loopingVerdict);
    const screen = frame();
    expect(screen.split('\n').length).toBeLessThan(20);
    expect(screen).toContain('counter — The view counter');
    expect(screen).toContain('✗ failed');
    expect(screen).toContain("#  t1 hit('home')");
    expect(screen).toMatch(/▶ 3–400 +kv\.get\('home'\) →\s+undefined ×398/);
    expect(screen).toContain('✗ the tasks were still running after 400 steps');
    for (const [, from, to] of screen.matchAll(/(\d+)–(\d+) of/g))
      expect(Number(from)).toBeLessThan(Number(to));
  });

  it('scrolls a long trace on its own at 60×20; every range it prints is a real one', async () => {
    const long = {
      ...failedVerdict,
      schedule: Array.from({ length: 30 }, (_, i) => ({
        task: i % 2 === 0 ? 't1' : 't2',
        op: 'kv.get',
        args: [`page-${i}`],
        result: '→ undefined',
      })),
    };
    const { frame, press, verdict } = await mount({ columns: 60, rows: 20 });
    await verdict(long);
    const ranges = () => [...frame().matchAll(/(\d+)–(\d+) of (\d+)/g)].map((m) => m.slice(1).map(Number));
    expect(frame().split('\n').length).toBeLessThan(20);
    expect(frame()).toContain("#  t1 hit('home')");
    expect(frame()).toContain('✗ the store holds 1 after 2 hits');
    for (const [from, to, of] of ranges()) {
      expect(from).toBeLessThanOrEqual(to!);
      expect(to).toBeLessThanOrEqual(of!);
    }
    // It opens where the marked step is, at the end; g goes to the first step.
    expect(frame()).toMatch(/^▶ 30 /m);
    const before = frame();
    await press('g');
    expect(frame()).toMatch(/^ +1 +kv\.get\('page-0'\)/m);
    expect(frame()).not.toBe(before);
    expect(frame()).toContain("#  t1 hit('home')");
    expect(frame().split('\n').length).toBeLessThan(20);
  });

  it('on a pass: what was proven, progress with a bar, and what comes next with its key (point 4)', async () => {
    const { frame, verdict, press, session } = await mount();
    await verdict(passedVerdict);
    const screen = frame();
    expect(screen).toContain('✓ passed');
    expect(screen).toContain('every invariant held in all 924 schedules');
    expect(screen).toMatch(new RegExp(`█+░+ 1 of ${TOTAL} exercises done`));
    expect(screen).toContain(`next: ${AFTER_COUNTER.id} — ${AFTER_COUNTER.title} · press n`);
    expect(screen).toContain(`n next: ${AFTER_COUNTER.id}`);
    await press('n');
    expect(session.snapshot().route).toMatchObject({ name: 'exercise', id: AFTER_COUNTER.id });
  });

  it('keeps the hints as a numbered list, and says so after the last one (point 10)', async () => {
    const { frame, press, verdict } = await mount();
    await verdict();
    await press('h');
    await expect.poll(frame).toContain('hint 1 of 3:');
    await press('h');
    await expect.poll(frame).toContain('hint 2 of 3:');
    expect(frame()).toContain('hint 1 of 3:');
    await press('h');
    await expect.poll(frame).toContain('hint 3 of 3:');
    await press('h');
    await expect.poll(frame).toContain('no more hints: that was the last of 3');
  });

  it('lays the last hint out as code, not a run-on line', async () => {
    const { frame, press, verdict } = await mount();
    await verdict();
    for (const n of [1, 2, 3]) {
      await press('h');
      await expect.poll(frame).toContain(`hint ${n} of 3:`);
    }
    const code = frame()
      .split('\n')
      .filter((line) => /^\s{2,}\S/.test(line) && /this\.tail|const run/.test(line));
    expect(code.length).toBeGreaterThanOrEqual(2);
  });

  it('hands e, c and q to the session', async () => {
    const { press, session, grader, verdict } = await mount();
    await verdict();
    await press('c');
    expect(grader.pending).toBe(1);
    await verdict();
    await press('q');
    expect(session.snapshot().handoff).toEqual({ to: 'quit' });
  });

  it('says so in manual mode', async () => {
    const { frame, session } = await mount();
    session.dispatch({
      type: 'watch-failed',
      message: 'file changes are not reported here; press c to check (manual mode)',
    });
    await tick();
    expect(frame()).toContain('press c to check (manual mode)');
  });
});
