import { render } from 'ink-testing-library';
import { describe, expect, it, vi } from 'vitest';
import { LessonList } from '../src/ui/LessonList.js';

// A macrotask: Ink binds its input handler in an effect that one setImmediate does not always outlast.
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
const lessons = [
  { id: 'execution-models', title: 'Execution models', minutes: 8, exercises: [] },
  { id: 'lost-updates', title: 'Lost updates', minutes: 7, exercises: ['counter'] },
  { id: 'mutexes', title: 'Mutexes', minutes: 7, exercises: [] },
];

describe('LessonList', () => {
  it('shows the lessons in order with minutes and exercises', async () => {
    const { lastFrame } = render(<LessonList lessons={lessons} rows={20} onOpen={() => {}} />);
    await tick();
    const frame = lastFrame() ?? '';
    expect(frame.indexOf('Execution models')).toBeLessThan(frame.indexOf('Lost updates'));
    expect(frame).toContain('(7 min)  · counter');
  });

  it('moves the selection with the arrows and opens it with Enter', async () => {
    const onOpen = vi.fn();
    const { stdin } = render(<LessonList lessons={lessons} rows={20} onOpen={onOpen} />);
    await tick();
    for (const key of ['\u001B[B', '\u001B[B', '\u001B[B', '\u001B[A', '\r']) {
      stdin.write(key);
      await tick();
    }
    expect(onOpen).toHaveBeenCalledWith('lost-updates');
  });
});
