import { render } from 'ink-testing-library';
import { describe, expect, it, vi } from 'vitest';
import { ExerciseList, type ExerciseRow } from '../src/ui/ExerciseList.js';
import { tick } from './ui-fixtures.js';

const rows: ExerciseRow[] = [
  {
    id: 'counter',
    title: 'The view counter that loses hits',
    lesson: 'lost-updates',
    tier: 'async',
    status: 'done',
  },
  {
    id: 'cache',
    title: 'The cache that stampedes',
    lesson: 'async-interleavings',
    tier: 'async',
    status: 'current',
  },
  {
    id: 'transfer',
    title: 'The transfer that deadlocks',
    lesson: 'liveness',
    tier: 'async',
    status: 'pending',
  },
];

async function mount() {
  const onOpen = vi.fn();
  const onBack = vi.fn();
  const onReset = vi.fn(async (id: string) => `restored ${id}`);
  const app = render(
    <ExerciseList exercises={rows} rows={20} interactive onOpen={onOpen} onReset={onReset} onBack={onBack} />,
  );
  await tick();
  const press = async (keys: string) => {
    app.stdin.write(keys);
    await tick();
  };
  const listed = () =>
    (app.lastFrame() ?? '')
      .split('\n')
      .map((line) => /(counter|cache|transfer) /.exec(line.replace(/^[›\s✓▶]+/, ''))?.[1])
      .filter(Boolean);
  return { app, press, listed, onOpen, onBack, onReset, frame: () => app.lastFrame() ?? '' };
}

describe('the exercise list', () => {
  it('starts on the current exercise and filters done / pending / all', async () => {
    const { press, listed, frame } = await mount();
    expect(listed()).toEqual(['counter', 'cache', 'transfer']);
    expect(frame()).toMatch(/› ▶ cache/);
    await press('d');
    expect(listed()).toEqual(['counter']);
    await press('p');
    expect(listed()).toEqual(['cache', 'transfer']);
    await press('a');
    expect(listed()).toEqual(['counter', 'cache', 'transfer']);
  });

  it('searches with / and jumps to the match with Enter', async () => {
    const { press, listed, onOpen } = await mount();
    await press('/');
    await press('dead');
    expect(listed()).toEqual(['transfer']);
    await press('\r');
    await press('\r');
    expect(onOpen).toHaveBeenCalledWith('transfer');
  });

  it('takes a search typed in one read, Enter and all ("/dead\\r\\r")', async () => {
    const { press, onOpen } = await mount();
    await press('/dead\r\r');
    expect(onOpen).toHaveBeenCalledWith('transfer');
  });

  it('resets only after y, and keeps the file on any other key', async () => {
    const { press, frame, onReset } = await mount();
    await press('r');
    expect(frame()).toContain('Reset cache to the broken original?');
    expect(frame()).toContain('[y/N]');
    await press('n');
    expect(onReset).not.toHaveBeenCalled();
    expect(frame()).toContain('kept your cache');
    await press('r');
    await press('y');
    expect(onReset).toHaveBeenCalledWith('cache');
    expect(frame()).toContain('restored cache');
  });

  it('goes back on q', async () => {
    const { press, onBack } = await mount();
    await press('q');
    expect(onBack).toHaveBeenCalled();
  });
});
