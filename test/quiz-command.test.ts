import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { quizCommand, quizSummary } from '../src/commands/quiz.js';
import { UserError } from '../src/errors.js';
import { GOOD, Scheduler } from '../src/quiz/scheduler.js';
import { emptyQuizState, quizStatePath, saveQuizState } from '../src/quiz/state.js';

const root = path.resolve(import.meta.dirname, '..');
const now = new Date(2025, 5, 1, 9, 0);
let workspaceDir: string;
let out: string[];

beforeEach(async () => {
  workspaceDir = await mkdtemp(path.join(tmpdir(), 'racelings-quiz-cmd-'));
  out = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out.push(String(chunk));
    return true;
  });
});
afterEach(async () => {
  vi.restoreAllMocks();
  await rm(workspaceDir, { recursive: true, force: true });
});

const base = { root, stats: false, json: false, tty: false, now };

describe('racelings quiz', () => {
  it('without a terminal and without --stats says what to run instead and exits 2', async () => {
    expect(await quizCommand({ ...base, workspaceDir })).toBe(2);
    expect(out.join('')).toBe("racelings quiz needs a terminal; try 'racelings quiz --stats'\n");
  });

  it('rejects an unknown topic, naming the known ones', async () => {
    const run = quizCommand({ ...base, workspaceDir, topic: 'mutex', stats: true });
    await expect(run).rejects.toBeInstanceOf(UserError);
    await expect(run).rejects.toMatchObject({ message: "unknown quiz topic 'mutex'" });
    await expect(run).rejects.toHaveProperty('hint', expect.stringContaining('mutexes, rw-locks'));
  });

  it('--stats --json prints the documented shape, counting answered cards', async () => {
    const state = new Scheduler({ enableFuzz: false }).review(emptyQuizState(), 'dr-seat-a1', GOOD, now);
    await saveQuizState(workspaceDir, state);
    const later = new Date(now.getTime() + 60 * 60_000);
    expect(await quizCommand({ ...base, workspaceDir, stats: true, json: true, now: later })).toBe(0);
    const stats = JSON.parse(out.join(''));
    expect(Object.keys(stats)).toEqual(['new', 'learning', 'review', 'total', 'byLesson']);
    expect(stats).toMatchObject({ new: 19, learning: 1, review: 0 });
    expect(stats.total).toBeGreaterThanOrEqual(120);
    expect(stats.byLesson['db-locking']).toMatchObject({ learning: 1 });
    expect(Object.keys(stats.byLesson)[0]).toBe('execution-models');
  });

  it('--stats prints plain text per lesson; --topic limits it', async () => {
    expect(await quizCommand({ ...base, workspaceDir, stats: true, topic: 'mutexes' })).toBe(0);
    const text = out.join('');
    const [, fresh, total] = text.match(/^New (\d+) · Learning 0 · To review 0 · (\d+) cards\n/) ?? [];
    expect(fresh).toBeDefined();
    expect(Number(fresh)).toBe(Number(total));
    expect(text).toMatch(new RegExp(`\nmutexes +${fresh} +0 +0 +${total}\n`));
    expect(text).toMatch(/\nlesson +new {2}learning {2}review {2}total\n/);
    expect(text).toMatch(new RegExp(`\nall +${fresh} +0 +0 +${total}\n$`));
    expect(text).not.toContain('execution-models');
  });

  it('summarises what is due for the home screen', async () => {
    const summary = await quizSummary(root, workspaceDir, now);
    expect(summary).toMatchObject({ new: 20, learning: 0, review: 0 });
    expect(summary.notice).toBeUndefined();
  });

  it('says so when the progress file was unreadable and set aside, for the home screen to show', async () => {
    await mkdir(path.dirname(quizStatePath(workspaceDir)), { recursive: true });
    await writeFile(quizStatePath(workspaceDir), '{ not json');
    const summary = await quizSummary(root, workspaceDir, now);
    expect(summary.notice).toMatch(/unreadable: not JSON .*Kept it as .*started afresh/);
    expect(summary).toMatchObject({ new: 20, learning: 0, review: 0 });
  });
});
