import { render } from 'ink-testing-library';
import { describe, expect, it, vi } from 'vitest';
import { LessonReader } from '../src/ui/LessonReader.js';

// A macrotask: Ink binds its input handler in an effect that one setImmediate does not always outlast.
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
const lines = Array.from({ length: 50 }, (_, i) => `line ${i + 1}`);
const shown = (frame: string | undefined) =>
  (frame ?? '').split('\n').filter((row) => /^line \d+$/.test(row.trim()));

async function mount(props: Partial<Parameters<typeof LessonReader>[0]> = {}) {
  const onBack = vi.fn();
  const onExercise = vi.fn();
  const app = render(
    <LessonReader
      title="Lost updates"
      lines={lines}
      rows={13}
      onBack={onBack}
      onExercise={onExercise}
      {...props}
    />,
  );
  await tick();
  const press = async (keys: string) => {
    app.stdin.write(keys);
    await tick();
  };
  return { ...app, onBack, onExercise, press };
}

describe('LessonReader', () => {
  it('shows the title, the first screenful, the position and the keys, within the terminal height', async () => {
    const { lastFrame } = await mount();
    const frame = lastFrame() ?? '';
    expect(frame).toContain('Lost updates');
    expect(shown(frame)[0]).toBe('line 1');
    expect(shown(frame)).toHaveLength(10);
    expect(frame).toContain('20%');
    expect(frame).toContain('q back');
    expect(frame.split('\n').length).toBeLessThan(13);
  });

  it('scrolls down and up a line with j/k and the arrows', async () => {
    const { lastFrame, press } = await mount();
    await press('j');
    await press('\u001B[B');
    expect(shown(lastFrame())[0]).toBe('line 3');
    await press('k');
    expect(shown(lastFrame())[0]).toBe('line 2');
    await press('\u001B[A');
    await press('\u001B[A');
    expect(shown(lastFrame())[0]).toBe('line 1');
  });

  it('pages with space, jumps to the end with G and back to the top with g', async () => {
    const { lastFrame, press } = await mount();
    await press(' ');
    expect(shown(lastFrame())[0]).toBe('line 11');
    await press('G');
    expect(shown(lastFrame()).at(-1)).toBe('line 50');
    expect(lastFrame()).toContain('100%');
    await press('j');
    expect(shown(lastFrame()).at(-1)).toBe('line 50');
    await press('g');
    expect(shown(lastFrame())[0]).toBe('line 1');
  });

  it('calls onBack on q and on Esc', async () => {
    const { onBack, press } = await mount();
    await press('q');
    expect(onBack).toHaveBeenCalledTimes(1);
    await press('\u001B');
    expect(onBack).toHaveBeenCalledTimes(2);
  });

  it('offers the first exercise on e, and ignores e when the lesson has none', async () => {
    const withExercise = await mount({ exercise: 'counter' });
    expect(withExercise.lastFrame()).toContain('e exercise counter');
    await withExercise.press('e');
    expect(withExercise.onExercise).toHaveBeenCalledWith('counter');
    withExercise.unmount();

    const without = await mount();
    await without.press('e');
    expect(without.onExercise).not.toHaveBeenCalled();
    expect(without.lastFrame()).not.toContain('exercise');
  });
});
