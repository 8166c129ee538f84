import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { learnCommand } from '../src/commands/learn.js';
import { isUserError, type UserError } from '../src/errors.js';

const root = path.resolve(import.meta.dirname, '..');

function captureStdout() {
  const chunks: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  return () => chunks.join('');
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('learnCommand without a terminal', () => {
  it('lists the lessons in teaching order as plain text', async () => {
    const output = captureStdout();
    expect(await learnCommand({ root, width: 80 })).toBe(0);
    const text = output();
    expect(text).not.toContain('\u001B');
    const ids = [...text.matchAll(/^ ?\d+\. ([a-z-]+) — /gm)].map((match) => match[1]);
    expect(ids[0]).toBe('execution-models');
    expect(ids).toHaveLength(13);
    expect(text).toMatch(/lost-updates — .*exercises: counter/);
  });

  it('prints one lesson as plain text within the width', async () => {
    const output = captureStdout();
    expect(await learnCommand({ root, lesson: 'isolation', width: 72 })).toBe(0);
    const lines = output().split('\n');
    expect(lines[0]).toBe('Transactions and isolation levels');
    expect(lines.join('\n')).toContain('racelings lab isolation');
    expect(lines.join('\n')).not.toContain('\u001B');
    for (const line of lines) expect(Array.from(line).length, line).toBeLessThanOrEqual(72);
  });

  it('answers an unknown lesson with a usage error and what to run instead', async () => {
    const output = captureStdout();
    const failure = await learnCommand({ root, lesson: 'nope', width: 80 }).catch((error: unknown) => error);
    expect(isUserError(failure)).toBe(true);
    expect((failure as UserError).message).toBe("no lesson 'nope'");
    expect((failure as UserError).hint).toBe("run 'racelings learn' to list the lessons");
    expect(output()).toBe('');
  });

  it('suggests the lesson a mistyped or topical id meant', async () => {
    captureStdout();
    const typo = await learnCommand({ root, lesson: 'livenes', width: 80 }).catch((error: unknown) => error);
    expect((typo as UserError).message).toBe("no lesson 'livenes' — did you mean liveness?");
    const topic = await learnCommand({ root, lesson: 'deadlock', width: 80 }).catch(
      (error: unknown) => error,
    );
    expect((topic as UserError).message).toMatch(/^no lesson 'deadlock' — did you mean .*liveness/);
  });
});
