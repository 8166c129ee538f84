import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GOOD, Scheduler } from '../src/quiz/scheduler.js';
import { emptyQuizState, loadQuizState, quizStatePath, saveQuizState } from '../src/quiz/state.js';

const now = new Date('2025-03-01T09:30:00.000Z');
let workspace: string;

beforeEach(async () => {
  workspace = await mkdtemp(path.join(tmpdir(), 'racelings-quiz-state-'));
});
afterEach(async () => {
  await rm(workspace, { recursive: true, force: true });
});

const answered = () =>
  new Scheduler({ enableFuzz: false }).review(emptyQuizState(), 'lu-two-likes', GOOD, now, 1200);

describe('the quiz state file', () => {
  it('starts empty when there is no file, without a message', async () => {
    expect(await loadQuizState(workspace, now)).toEqual({ state: emptyQuizState() });
  });

  it('round-trips through .racelings/quiz.json as readable JSON with ISO dates', async () => {
    const state = answered();
    await saveQuizState(workspace, state);
    const file = path.join(workspace, '.racelings', 'quiz.json');
    expect(quizStatePath(workspace)).toBe(file);
    const text = await readFile(file, 'utf8');
    expect(text).toContain('\n  "cards": {\n    "lu-two-likes": {');
    expect(text).toContain(`"time": "${now.toISOString()}"`);
    expect(text).toContain('"state": "Learning"');
    expect(await loadQuizState(workspace, now)).toEqual({ state });
  });

  it('replaces the file whole (a new inode by rename), leaving no temporary files behind', async () => {
    await saveQuizState(workspace, emptyQuizState());
    const file = quizStatePath(workspace);
    const before = await stat(file);
    await saveQuizState(workspace, answered());
    const after = await stat(file);
    expect(after.ino).not.toBe(before.ino);
    expect(await readdir(path.dirname(file))).toEqual(['quiz.json']);
  });

  it('never shows a reader a half-written file while saves follow one another', async () => {
    const big = answered();
    for (let i = 0; i < 300; i++) big.log.push({ ...big.log[0]!, card: `lu-card-${i}` });
    await saveQuizState(workspace, emptyQuizState());
    let saving = true;
    const saves = (async () => {
      for (let i = 0; i < 40; i++) await saveQuizState(workspace, i % 2 ? big : emptyQuizState());
      saving = false;
    })();
    const seen: string[] = [];
    while (saving) seen.push(await readFile(quizStatePath(workspace), 'utf8'));
    await saves;
    for (const text of seen) expect(() => JSON.parse(text)).not.toThrow();
  });
});

describe('a corrupt state file', () => {
  async function corrupt(text: string) {
    await mkdir(path.join(workspace, '.racelings'), { recursive: true });
    await writeFile(quizStatePath(workspace), text);
  }

  it('is moved aside with a timestamp, rebuilt empty, and reported', async () => {
    await corrupt('{"version": 1, "cards": {');
    const loaded = await loadQuizState(workspace, now);
    const backup = `${quizStatePath(workspace)}.corrupt-2025-03-01T09-30-00-000Z`;
    expect(loaded.state).toEqual(emptyQuizState());
    expect(loaded.message).toContain(backup);
    expect(loaded.message).toContain('not JSON');
    expect(await readFile(backup, 'utf8')).toBe('{"version": 1, "cards": {');
    expect(JSON.parse(await readFile(quizStatePath(workspace), 'utf8'))).toEqual(emptyQuizState());
  });

  it('includes JSON of the wrong shape, naming what is wrong', async () => {
    const state = answered();
    const broken = { ...state, cards: { 'lu-two-likes': { ...state.cards['lu-two-likes'], due: 'soon' } } };
    await corrupt(JSON.stringify(broken));
    const loaded = await loadQuizState(workspace, now);
    expect(loaded.state).toEqual(emptyQuizState());
    expect(loaded.message).toContain(`card 'lu-two-likes' is malformed`);

    await corrupt(
      JSON.stringify({ ...state, log: [{ card: 'x', rating: 'Perfect', time: now, elapsedMs: 1 }] }),
    );
    expect((await loadQuizState(workspace, new Date(now.getTime() + 1))).message).toContain(
      'review log entry 1 is malformed',
    );
    const names = await readdir(path.join(workspace, '.racelings'));
    expect(names.filter((name) => name.startsWith('quiz.json.corrupt-'))).toHaveLength(2);
  });
});
