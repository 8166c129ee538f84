import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    pool: 'forks',
    // A test file mostly waits on processes it starts (a grader, PostgreSQL, tmux): one file per
    // core keeps the cores busy, where vitest's default (cores - 1) runs one file at a time on two.
    maxWorkers: Math.max(2, availableParallelism()),
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
