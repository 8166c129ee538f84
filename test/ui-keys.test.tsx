import { render } from 'ink-testing-library';
import { expect, it } from 'vitest';
import { LessonList } from '../src/ui/LessonList.js';
import { tick } from './ui-fixtures.js';

const lessons = ['one', 'two', 'three'].map((id) => ({ id, title: id, minutes: 5, exercises: [] }));

it('takes keys that arrive in one read one at a time ("jj" then Enter)', async () => {
  const opened: string[] = [];
  const app = render(<LessonList lessons={lessons} rows={20} onOpen={(id) => opened.push(id)} />);
  await tick();
  app.stdin.write('jj\r');
  await tick();
  expect(opened).toEqual(['three']);
  app.unmount();
});
