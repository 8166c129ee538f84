import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import type { SessionOptions } from '../src/session/session.js';
import { TutorApp } from '../src/ui/TutorApp.js';
import { heldSession, passedVerdict, TOTAL, tick } from './ui-fixtures.js';

async function mount(options: SessionOptions = {}) {
  const held = await heldSession({ lessons: true, ...options });
  held.session.dispatch({
    type: 'quiz-counted',
    counts: { new: 5, learning: 2, learningDue: 1, review: 3, total: 40 },
  });
  const app = render(<TutorApp session={held.session} color={false} interactive />);
  await tick();
  const frame = () => app.lastFrame() ?? '';
  const press = async (keys: string) => {
    app.stdin.write(keys);
    await tick();
  };
  return { ...held, app, frame, press };
}

describe('home', () => {
  it('shows progress per lesson in teaching order, the current exercise, the quiz counts and its keys', async () => {
    const { frame } = await mount();
    expect(frame()).toMatch(new RegExp(`0 of ${TOTAL} exercises done ░+`));
    expect(frame()).toMatch(/lost-updates\s+0\/\d+\s+▶ counter/);
    expect(frame()).toContain('next: counter — The view counter that loses hits');
    expect(frame()).toContain('quiz: New 5 · Learning 2 (1 due) · To review 3 of 40 cards');
    expect(frame()).toContain('Enter continue counter · x exercises · l lessons · r review (quiz) · q quit');
  });

  it('continues the current exercise on Enter and comes back on q', async () => {
    const { frame, press, session, grader } = await mount();
    await press('\r');
    expect(frame()).toContain('counter — The view counter that loses hits');
    expect(grader.inputs.map((i) => i.exercise)).toEqual(['counter']);
    await press('q');
    expect(frame()).toContain(`0 of ${TOTAL} exercises done`);
    expect(session.snapshot().open).toBeNull();
  });

  it('notices a change of progress made from another shell (a reset, a pass)', async () => {
    const { frame, session, place } = await mount();
    await place.progress.markDone('counter');
    session.dispatch({ type: 'progress-changed' });
    await session.idle();
    await tick();
    expect(frame()).toContain(`1 of ${TOTAL} exercises done`);
  });

  it('leaves for the quiz on r and quits on q', async () => {
    const { press, session } = await mount();
    await press('r');
    expect(session.snapshot().handoff).toEqual({ to: 'quiz' });
    session.dispatch({ type: 'returned', from: 'quiz', message: 'quiz: 3 cards answered' });
    await tick();
    await press('q');
    expect(session.snapshot().handoff).toEqual({ to: 'quit' });
  });
});

describe('the exercise list', () => {
  it('lists the exercises grouped by lesson as home does, opens one, and comes back to it', async () => {
    const { frame, press, session } = await mount();
    await press('x');
    const ids = [...frame().matchAll(/^[› ] [✓▶·] (\S+)/gm)].map((m) => m[1]);
    expect(ids).toEqual(session.snapshot().exercises.map((e) => e.id));
    // The cursor starts on the current exercise; two down from it is the one opened.
    const opened = ids[ids.indexOf('counter') + 2];
    await press('jj\r');
    expect(session.snapshot().route).toMatchObject({ name: 'exercise', id: opened });
    await press('q');
    expect(frame()).toMatch(new RegExp(`^› · ${opened} `, 'm'));
  });

  it('searches with /, and resets with o after a y', async () => {
    const { frame, press, session } = await mount();
    await press('x');
    await press('/');
    await press('trans');
    await press('\r');
    expect(frame()).toContain('transfer');
    expect(frame()).not.toContain(' cache ');
    await press('o');
    expect(frame()).toContain('Reset transfer to the broken original?');
    await press('y');
    await session.idle();
    await tick();
    expect(frame()).toMatch(/restored transfer/);
  });
});

describe('the lessons', () => {
  it('marks the lessons read, goes back to the one just read, and names q for what it does', async () => {
    const { frame, press, session } = await mount();
    await press('l');
    expect(frame()).toContain('q back');
    await press('jj\r');
    const read = (session.snapshot().route as { id: string }).id;
    await session.idle();
    await press('G');
    expect(frame()).toMatch(/100%/);
    await press('q');
    await tick();
    expect(frame()).toMatch(/^› ✓ +3\. /m);
    expect(session.snapshot().route).toMatchObject({ name: 'lessons', selected: read });
    expect(frame()).toContain('1 of');
  });

  it('shows a lesson’s title once, and practises its exercise with x, coming back to the lesson', async () => {
    const { frame, press, session } = await mount({
      route: { name: 'lesson', id: 'lost-updates', back: { name: 'lessons' } },
    });
    const title = session.snapshot().lessons.find((l) => l.id === 'lost-updates')!.title;
    expect(frame().split(title).length - 1).toBe(1);
    expect(frame()).toContain('x practise counter');
    await press('x');
    expect(session.snapshot().route).toMatchObject({ name: 'exercise', id: 'counter' });
    await press('q');
    expect(session.snapshot().route).toMatchObject({ name: 'lesson', id: 'lost-updates' });
  });

  it('quits with q when `racelings learn` opened it', async () => {
    const { frame, press, session } = await mount({ route: { name: 'lessons', back: 'quit' } });
    expect(frame()).toContain('q quit');
    await press('q');
    expect(session.snapshot().handoff).toEqual({ to: 'quit' });
  });
});

describe('one key map', () => {
  it('r is the quiz on home and does nothing else anywhere; o resets only in the list', async () => {
    const { frame, press, session, grader } = await mount();
    await press('\r');
    await grader.finish(passedVerdict);
    await press('r');
    expect(session.snapshot().handoff).toBeNull();
    expect(frame()).not.toMatch(/\br reset/);
  });
});
