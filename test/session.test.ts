import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SessionEvent } from '../src/session/events.js';
import { exerciseFile } from '../src/workspace/workspace.js';
import { whileReadOnly } from './read-only.js';
import { AFTER_COUNTER, failedVerdict, heldSession, passedVerdict } from './ui-fixtures.js';

const counter = { name: 'exercise', id: 'counter', back: { name: 'home' } } as const;

describe('the session', () => {
  it('opens an exercise: reads its statement, makes it current, and grades it', async () => {
    const { session, grader } = await heldSession();
    session.dispatch({ type: 'go', route: counter });
    await expect.poll(() => session.snapshot().open?.statement).toContain('ViewCounter');
    const open = session.snapshot().open!;
    expect(open.id).toBe('counter');
    expect(open.grading).toBe(true);
    expect(grader.inputs.map((i) => i.exercise)).toEqual(['counter']);
    await grader.finish();
    expect(session.snapshot().open).toMatchObject({ grading: false, verdict: { passed: false } });
    expect(session.snapshot().open!.checkedAt).toBeInstanceOf(Date);
  });

  it('grades once more, with the newest content, however many saves arrive during a grading', async () => {
    const { session, grader, place } = await heldSession({ route: counter });
    const file = exerciseFile(place.ws, session.exercise('counter'));
    for (const version of ['one', 'two', 'three']) {
      writeFileSync(file, `// ${version}\n`);
      session.dispatch({ type: 'saved', file });
    }
    await grader.finish();
    // The first verdict graded the file as it was at opening, not one of the saves.
    expect(session.snapshot().open).toMatchObject({ grading: true, verdictSave: 0, gradingSave: 3 });
    await grader.finish();
    await session.idle();
    expect(grader.read).toHaveLength(2);
    expect(grader.read[1]).toBe('// three\n');
    // The verdict shown is of the third save, the newest: that is what the screen says it graded.
    expect(session.snapshot().open).toMatchObject({ saves: 3, verdictSave: 3 });
  });

  it('ignores saves of other files', async () => {
    const { session, grader, place } = await heldSession({ route: counter });
    await grader.finish();
    session.dispatch({ type: 'saved', file: exerciseFile(place.ws, session.exercise('cache')) });
    expect(grader.pending).toBe(0);
  });

  it('records progress once per verdict: done and the next current after a pass, pending after a failure', async () => {
    const { session, grader, place } = await heldSession({ route: counter });
    await grader.finish(passedVerdict);
    await session.idle();
    expect(place.progress.get().done).toEqual(['counter']);
    expect(session.snapshot()).toMatchObject({ done: 1, current: AFTER_COUNTER.id, next: AFTER_COUNTER.id });
    expect(session.snapshot().exercises.find((e) => e.id === 'counter')!.status).toBe('done');
    session.dispatch({ type: 'check' });
    await grader.finish(failedVerdict);
    await session.idle();
    expect(place.progress.get().done).toEqual([]);
  });

  it('shows the verdict with one note when the progress cannot be written', async () => {
    const { session, grader, place } = await heldSession({ route: counter });
    await whileReadOnly(path.join(place.ws.dir, '.racelings'), async () => {
      await grader.finish(passedVerdict);
      await session.idle();
    });
    const verdict = session.snapshot().open!.verdict!;
    expect(verdict.passed).toBe(true);
    expect(verdict.notes.filter((n) => n.startsWith('progress could not be saved'))).toHaveLength(1);
  });

  it('says so when the exercise file goes, and grades it again when it comes back', async () => {
    const { session, grader, place } = await heldSession({ route: counter });
    await grader.finish();
    const file = exerciseFile(place.ws, session.exercise('counter'));
    session.dispatch({ type: 'file-gone', file });
    expect(session.snapshot().open!.missing).toMatch(
      /counter\.ts is missing .* reset counter' restores the original/,
    );
    session.dispatch({ type: 'saved', file });
    expect(session.snapshot().open!.missing).toBeNull();
    expect(grader.pending).toBe(1);
  });

  it('gives hints one at a time, then says there are no more', async () => {
    const { session, place, grader } = await heldSession({ route: counter });
    await grader.finish();
    for (let i = 0; i < 3; i++) {
      session.dispatch({ type: 'hint' });
      await session.idle();
    }
    expect(session.snapshot().hints.counter).toBe(3);
    expect(place.progress.get().hints.counter).toBe(3);
    session.dispatch({ type: 'hint' });
    expect(session.snapshot().notice).toMatch(/^no more hints: that was the last of 3/);
  });

  it('shows a hint that cannot be saved, and says why it was not saved', async () => {
    const { session, place, grader } = await heldSession({ route: counter });
    await grader.finish();
    await whileReadOnly(path.join(place.ws.dir, '.racelings'), async () => {
      session.dispatch({ type: 'hint' });
      await session.idle();
    });
    expect(session.snapshot().hints.counter).toBe(1);
    expect(session.snapshot().notice).toMatch(/^progress could not be saved: \.racelings\/state\.json/);
  });

  it('goes to the next exercise after a pass, and back where it came from', async () => {
    const { session, grader } = await heldSession({ route: counter });
    session.dispatch({ type: 'next' });
    expect(session.snapshot().open!.id).toBe('counter');
    await grader.finish(passedVerdict);
    await session.idle();
    session.dispatch({ type: 'next' });
    expect(session.snapshot().route).toMatchObject({ name: 'exercise', id: AFTER_COUNTER.id });
    session.dispatch({ type: 'back' });
    expect(session.snapshot().route).toEqual({ name: 'home' });
    expect(session.snapshot().open).toBeNull();
    session.dispatch({ type: 'back' });
    expect(session.snapshot().handoff).toEqual({ to: 'quit' });
  });

  it('resets an exercise: the pristine file back, a backup kept, and where it went said', async () => {
    const { session, place } = await heldSession();
    const file = exerciseFile(place.ws, session.exercise('counter'));
    writeFileSync(file, '// mine\n');
    session.dispatch({ type: 'reset', id: 'counter' });
    await session.idle();
    expect(readFileSync(file, 'utf8')).not.toBe('// mine\n');
    expect(session.snapshot().notice).toMatch(
      /^restored counter; your version is kept in \.racelings\/backups\/counter\//,
    );
  });

  it('reads the progress again when another racelings changed it', async () => {
    const { session, place } = await heldSession();
    const state = path.join(place.ws.dir, '.racelings', 'state.json');
    const progress = JSON.parse(readFileSync(state, 'utf8'));
    writeFileSync(state, JSON.stringify({ ...progress, done: ['counter', 'cache'], current: 'transfer' }));
    session.dispatch({ type: 'progress-changed' });
    await session.idle();
    expect(session.snapshot()).toMatchObject({ done: 2, current: 'transfer' });
  });

  it('marks a lesson read when it is opened, and lists lessons back at it', async () => {
    const { session, place } = await heldSession({ lessons: true });
    session.dispatch({ type: 'go', route: { name: 'lessons' } });
    session.dispatch({ type: 'go', route: { name: 'lesson', id: 'liveness', back: { name: 'lessons' } } });
    await session.idle();
    expect(place.progress.get().read).toEqual(['liveness']);
    expect(session.snapshot().lessons.find((l) => l.id === 'liveness')!.read).toBe(true);
    session.dispatch({ type: 'back' });
    expect(session.snapshot().route).toEqual({ name: 'lessons', selected: 'liveness' });
  });

  it('hands the terminal over for a terminal editor and takes it back', async () => {
    const before = process.env.VISUAL;
    process.env.VISUAL = 'vim';
    try {
      const { session } = await heldSession({ route: counter });
      session.dispatch({ type: 'edit' });
      expect(session.snapshot().handoff).toMatchObject({ to: 'editor', editor: { command: 'vim' } });
      session.dispatch({ type: 'returned', from: 'editor', message: null });
      expect(session.snapshot().handoff).toBeNull();
    } finally {
      if (before === undefined) delete process.env.VISUAL;
      else process.env.VISUAL = before;
    }
  });

  it('tells its event listeners every event, after the state changed', async () => {
    const { session, grader } = await heldSession();
    const seen: string[] = [];
    session.onEvent((event: SessionEvent, state) => seen.push(`${event.type}:${state.open?.grading ?? '-'}`));
    session.dispatch({ type: 'check', id: 'transfer' });
    await grader.finish();
    expect(seen).toEqual(['check:-', 'grading:-', 'graded:-']);
  });
});
