import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { quizCommand } from '../src/commands/quiz.js';
import { loadCourse } from '../src/course/course.js';
import { UserError } from '../src/errors.js';
import { loadCards } from '../src/quiz/cards.js';
import { GOOD, Scheduler } from '../src/quiz/scheduler.js';
import { emptyQuizState, quizStatePath, saveQuizState } from '../src/quiz/state.js';
import { cardOrder, countCards, QuizRun, quizCounts, summaryText } from '../src/session/quiz.js';
import { createWorkspace } from '../src/workspace/init.js';
import { tempDir } from './temp.js';

const root = path.resolve(import.meta.dirname, '..');
const now = new Date(2025, 5, 1, 9, 0);
let workspace: string;
let out: string[];

beforeEach(async () => {
  workspace = path.join(tempDir('quiz-cmd'), 'ws');
  await createWorkspace(workspace, await loadCourse());
  out = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out.push(String(chunk));
    return true;
  });
});
afterEach(() => {
  vi.restoreAllMocks();
});

const base = { color: false, stats: false, json: false, tty: false, now };
const source = (met: string[] = []) => ({
  root,
  lessons: [] as string[],
  workspaceDir: workspace,
  met: new Set(met),
});

describe('racelings quiz', () => {
  it('without a terminal and without --stats says what to run instead and exits 2', async () => {
    expect(await quizCommand({ ...base, workspace })).toBe(2);
    expect(out.join('')).toMatch(/^racelings quiz needs a terminal; try '.* quiz --stats'\n$/);
  });

  it('rejects an unknown topic, naming the known ones', async () => {
    const run = quizCommand({ ...base, workspace, topic: 'mutex', stats: true });
    await expect(run).rejects.toBeInstanceOf(UserError);
    await expect(run).rejects.toMatchObject({ message: "unknown quiz topic 'mutex'" });
    await expect(run).rejects.toHaveProperty('hint', expect.stringContaining('mutexes, rw-locks'));
  });

  it('--stats --json counts every card in learning (due now or later) the same way home and the header do', async () => {
    const state = new Scheduler({ enableFuzz: false }).review(emptyQuizState(), 'dr-seat-a1', GOOD, now);
    await saveQuizState(workspace, state);
    // One hour on, the card answered is in learning but not due: it still counts as learning.
    const later = new Date(now.getTime() + 60 * 60_000);
    expect(await quizCommand({ ...base, workspace, stats: true, json: true, now: later })).toBe(0);
    const stats = JSON.parse(out.join(''));
    expect(Object.keys(stats)).toEqual(['new', 'learning', 'learningDue', 'review', 'total', 'byLesson']);
    expect(stats).toMatchObject({ new: 19, learning: 1, review: 0 });
    expect(stats.total).toBeGreaterThanOrEqual(120);
    expect(stats.byLesson['db-locking']).toMatchObject({ learning: 1 });
    expect(Object.keys(stats.byLesson)[0]).toBe('execution-models');
    const home = await quizCounts({ ...source(), lessons: (await loadCourse()).lessons }, later);
    expect(home.counts).toMatchObject({ new: 19, learning: 1, review: 0 });
  });

  it('--stats prints plain text per lesson with a legend; --topic limits it', async () => {
    expect(await quizCommand({ ...base, workspace, stats: true, topic: 'mutexes' })).toBe(0);
    const text = out.join('');
    const [, fresh, total] = text.match(/^New (\d+) · Learning 0 · To review 0 · (\d+) cards\n/) ?? [];
    expect(Number(fresh)).toBe(Number(total));
    expect(text).toMatch(new RegExp(`\nmutexes +${fresh} +0 +0 +0 +${total}\n`));
    expect(text).toMatch(/\nlesson +new {2}learning {2}due {2}review {2}total\n/);
    expect(text).toContain('learning: in their first steps');
    expect(text).not.toContain('execution-models');
  });

  it('says so when the progress file was unreadable and set aside', async () => {
    await mkdir(path.dirname(quizStatePath(workspace)), { recursive: true });
    await writeFile(quizStatePath(workspace), '{ not json');
    const { counts, notice } = await quizCounts({ ...source(), lessons: (await loadCourse()).lessons }, now);
    expect(notice).toMatch(/unreadable: not JSON .*Kept it as .*started afresh/);
    expect(counts).toMatchObject({ new: 20, learning: 0, review: 0 });
  });
});

describe('which new cards come first (issue 12, point 6)', () => {
  it('the lessons the learner has met (read, or practised) first, each group in teaching order', async () => {
    const lessons = (await loadCourse()).lessons;
    const cards = await loadCards(root, lessons);
    const fresh = cardOrder(cards, lessons, new Set(['liveness']));
    const liveness = cards.filter((card) => card.lesson === 'liveness').length;
    expect(fresh.slice(0, liveness).every((card) => card.lesson === 'liveness')).toBe(true);
    expect(fresh[liveness]!.lesson).toBe(lessons[0]);
    expect(cardOrder(cards, lessons, new Set())[0]!.lesson).toBe(lessons[0]);
  });

  it('a review run shows a met lesson’s card first, counts what was answered, and saves each grade', async () => {
    const lessons = (await loadCourse()).lessons;
    const run = await QuizRun.open({ ...source(['db-locking']), lessons }, () => now);
    const card = run.card()!;
    expect(card.lesson).toBe('db-locking');
    await run.grade(card, 1);
    const summary = run.summary();
    expect(summary).toMatchObject({ answered: 1, again: 1, counts: { learning: 1 } });
    expect(summaryText(summary)).toMatch(
      /^quiz: 1 card answered, 1 to see again · New 19 · Learning 1 \(\d due\) · To review 0/,
    );
    const saved = await QuizRun.open({ ...source(), lessons }, () => now);
    expect(countCards(saved.scheduler, saved.cards, saved.quizState, now).learning).toBe(1);
  });
});
