import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { TutorApp } from '../src/ui/TutorApp.js';
import { FakePort, tick } from './ui-fixtures.js';

async function mount() {
  const port = new FakePort();
  port.update({ done: ['counter'], current: 'cache' });
  const app = render(<TutorApp port={port} color={false} interactive />);
  await tick();
  const press = async (keys: string) => {
    app.stdin.write(keys);
    await tick();
  };
  return { port, press, frame: () => app.lastFrame() ?? '' };
}

describe('home', () => {
  it('shows progress per lesson, the current exercise, the quiz counts and a key for all of it', async () => {
    const { frame } = await mount();
    expect(frame()).toContain('1 of 3 exercises done');
    expect(frame()).toMatch(/lost-updates\s+1\/1\s+✓ counter/);
    expect(frame()).toMatch(/async-interleavings\s+0\/1\s+▶ cache/);
    expect(frame()).toContain('next: cache — The cache that stampedes');
    expect(frame()).toContain('New 5 · Learning 2 · To review 3');
    expect(frame()).toContain('✓ done · ▶ current');
    expect(frame()).toContain('Enter continue cache');
  });

  it('continues the current exercise on Enter, and comes back on q', async () => {
    const { frame, press, port } = await mount();
    await press('\r');
    expect(port.calls).toContain('open cache');
    expect(frame()).toContain('cache — The cache that stampedes');
    await press('q');
    expect(port.calls).toContain('close');
    expect(frame()).toContain('1 of 3 exercises done');
  });

  it('opens the exercise list on x and an exercise from it', async () => {
    const { frame, press, port } = await mount();
    await press('x');
    expect(frame()).toContain('Exercises');
    await press('/');
    await press('trans');
    await press('\r');
    await press('\r');
    expect(port.calls).toContain('open transfer');
    await press('q');
    expect(frame()).toContain('Exercises');
  });

  it('reads a lesson from l, opens its exercise with e, and comes back to that lesson', async () => {
    const { frame, press, port } = await mount();
    port.update({
      lessons: [
        {
          id: 'lost-updates',
          title: 'Lost updates',
          summary: 'Why read-modify-write loses updates.',
          minutes: 7,
          exercises: ['counter'],
          body: '# Lost updates\n\nTwo hits read the same count.',
        },
      ],
    });
    await press('l');
    expect(frame()).toContain('Lessons');
    await press('\r');
    expect(frame()).toContain('Two hits read the same count.');
    await press('e');
    expect(port.calls).toContain('open counter');
    await press('q');
    expect(frame()).toContain('Two hits read the same count.');
    await press('q');
    expect(frame()).toContain('Lessons');
    expect(frame()).not.toContain('Two hits read the same count.');
  });

  it('says the quiz is being counted until its counts arrive, and offers it only then', async () => {
    const { frame, port } = await mount();
    port.update({ quiz: null });
    await tick();
    expect(frame()).toContain('quiz: counting the due cards…');
    expect(frame()).not.toContain('r quiz');
    port.update({ quiz: { new: 1, learning: 0, review: 0, total: 9 } });
    await tick();
    expect(frame()).toContain('New 1 · Learning 0 · To review 0');
    expect(frame()).toContain('r quiz');
  });

  it('leaves for the quiz on r and quits on q', async () => {
    const { press, port } = await mount();
    await press('r');
    await press('q');
    expect(port.calls).toEqual(['quiz', 'quit']);
  });
});
