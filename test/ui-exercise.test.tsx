import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { ExerciseScreen } from '../src/ui/ExerciseScreen.js';
import { TutorApp } from '../src/ui/TutorApp.js';
import { exercises, FakePort, failedVerdict, passedVerdict, tick } from './ui-fixtures.js';

async function mount(to: 'home' | 'quit' = 'quit') {
  const back = to === 'quit' ? 'quit' : { name: to };
  const port = new FakePort();
  const app = render(
    <TutorApp port={port} color={false} interactive initial={{ name: 'exercise', id: 'counter', back }} />,
  );
  await tick();
  const press = async (keys: string) => {
    app.stdin.write(keys);
    await tick();
  };
  const settle = (verdict: typeof failedVerdict) => {
    port.update({ open: { ...port.state.open!, checking: false, verdict } });
    return tick();
  };
  return { port, app, press, settle, frame: () => app.lastFrame() ?? '' };
}

describe('the exercise screen (watch mode)', () => {
  it('opens the exercise, shows "checking…", then the verdict in its place with the timeline', async () => {
    const { port, frame, settle } = await mount();
    expect(port.calls).toContain('open counter');
    expect(frame()).toContain('counter — The view counter that loses hits');
    expect(frame()).toContain('exercises/counter/counter.ts');
    expect(frame()).toContain('Fix the counter.');
    expect(frame()).toContain('checking…');
    await settle(failedVerdict);
    expect(frame()).not.toContain('checking…');
    expect(frame()).toContain('✗ failed');
    expect(frame()).toContain("t2 hit('home')");
    expect(frame()).toContain('✗ the store holds 1 after 2 hits');
  });

  it('keeps the frame height while the next save is checked', async () => {
    const { port, frame, settle } = await mount();
    await settle(failedVerdict);
    const height = frame().split('\n').length;
    port.update({ open: { ...port.state.open!, checking: true } });
    await tick();
    expect(frame()).toContain('checking…');
    expect(frame()).toContain("t2 hit('home')");
    expect(frame().split('\n')).toHaveLength(height);
  });

  it('gives hints one at a time, each replacing the last', async () => {
    const { frame, press, port } = await mount();
    expect(frame()).not.toContain('hint 1');
    await press('h');
    expect(port.calls).toContain('hint counter');
    expect(frame()).toContain('hint 1 of 3: first hint for counter');
    await press('h');
    expect(frame()).toContain('hint 2 of 3: second hint for counter');
    expect(frame()).not.toContain('first hint for counter');
  });

  it('offers n only after a pass, and n opens the next exercise that is not done', async () => {
    const { frame, press, port, settle } = await mount();
    await settle(failedVerdict);
    await press('n');
    expect(port.calls).not.toContain('open cache');
    expect(frame()).not.toContain('n next');
    port.update({ done: ['counter'] });
    await settle(passedVerdict);
    expect(frame()).toContain('✓ passed');
    expect(frame()).toContain('n next');
    await press('n');
    expect(port.calls).toEqual(expect.arrayContaining(['close', 'open cache']));
    expect(frame()).toContain('cache — The cache that stampedes');
  });

  it('shows the reference solution on s once it is available', async () => {
    const { frame, press, port, settle } = await mount();
    port.update({ open: { ...port.state.open!, solution: 'export const fixed = true;' } });
    await settle(passedVerdict);
    await press('s');
    expect(frame()).toContain('reference solution');
    expect(frame()).toContain('export const fixed = true;');
    await press('s');
    expect(frame()).toContain('Fix the counter.');
  });

  it('hands e, c and q to the port', async () => {
    const { press, port } = await mount();
    await press('e');
    await press('c');
    await press('q');
    expect(port.calls).toEqual(expect.arrayContaining(['edit counter', 'check', 'quit']));
  });

  it('says so in manual mode', async () => {
    const { frame, port } = await mount();
    port.update({ manual: 'file changes are not reported here; press c to check (manual mode)' });
    await tick();
    expect(frame()).toContain('press c to check (manual mode)');
  });

  it('keeps the frame shorter than the terminal: a long statement scrolls', async () => {
    const statement = Array.from({ length: 60 }, (_, i) => `Paragraph ${i + 1}.`).join('\n\n');
    const open = {
      id: 'counter',
      statement,
      solution: null,
      checking: false,
      verdict: failedVerdict,
      error: null,
    };
    const noop = () => {};
    const app = render(
      <ExerciseScreen
        exercise={exercises[0]!}
        open={open}
        hintsSeen={0}
        manual={null}
        notice={null}
        color={false}
        columns={100}
        rows={30}
        interactive
        onEdit={noop}
        onCheck={noop}
        onHint={noop}
        onBack={noop}
      />,
    );
    await tick();
    const frame = () => app.lastFrame() ?? '';
    expect(frame().split('\n').length).toBeLessThan(30);
    expect(frame()).toContain('Paragraph 1.');
    expect(frame()).toMatch(/lines 1–\d+ of \d+ · ↑↓ scroll/);
    app.stdin.write(' ');
    await tick();
    expect(frame()).not.toContain('Paragraph 1.');
    expect(frame().split('\n').length).toBeLessThan(30);
  });
});
