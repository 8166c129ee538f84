import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { missingService } from '../src/redis/server.js';
import { ExerciseList } from '../src/ui/ExerciseList.js';
import { tempDir } from './temp.js';
import { tick } from './ui-fixtures.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'dist', 'bin.js');

/** The built CLI, on a PATH with redis-server or on one without (node is run by its full path). */
function racelings(args: string[], cwd: string, redis: 'on PATH' | 'missing') {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.REDIS_URL;
  if (redis === 'missing') env.PATH = tempDir('no-redis');
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function workspace(): string {
  const dir = path.join(tempDir('redis-ws'), 'ws');
  expect(racelings(['init', dir], ROOT, 'on PATH').code).toBe(0);
  return dir;
}

describe('a machine with or without Redis', () => {
  it('knows which tier lacks a service: only redis, only without redis-server or REDIS_URL', () => {
    const without = { PATH: tempDir('no-redis') };
    expect(missingService('redis', without)).toBe('Redis');
    expect(missingService('redis', { ...without, REDIS_URL: 'redis://localhost:6379/15' })).toBeNull();
    expect(missingService('postgres', without)).toBeNull();
    expect(missingService('redis', process.env)).toBeNull();
  });

  it('list marks the redis exercises "needs Redis" only where Redis is missing, and still lists them all', () => {
    const ws = workspace();
    type Row = { id: string; tier: string; needs: string | null };
    const here: Row[] = JSON.parse(racelings(['list', '--json'], ws, 'on PATH').stdout);
    const bare: Row[] = JSON.parse(racelings(['list', '--json'], ws, 'missing').stdout);
    expect(bare.map((r) => r.id)).toEqual(here.map((r) => r.id));
    expect(here.every((r) => r.needs === null)).toBe(true);
    expect(bare.filter((r) => r.needs === 'Redis').map((r) => r.tier)).toEqual([
      'redis',
      'redis',
      'redis',
      'redis',
    ]);
    expect(bare.filter((r) => r.tier !== 'redis').every((r) => r.needs === null)).toBe(true);
    const text = racelings(['list'], ws, 'missing').stdout;
    expect(text).toMatch(/lock-ownership .* · needs Redis/);
    const counter = text.split('\n').find((line) => / counter /.test(line));
    expect(counter).toBeDefined();
    expect(counter).not.toContain('needs Redis');
  });

  it('lab locks without Redis exits 2 with one line that says how to get it', () => {
    const result = racelings(['lab', 'locks'], ROOT, 'missing');
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^racelings: Redis is not available/);
    for (const how of ['apt-get install redis-server', 'brew install redis', 'docker run', 'REDIS_URL=']) {
      expect(lines[0]).toContain(how);
    }
  });

  it('check of every redis exercise without Redis exits 2 ("not graded") and says how to get it', () => {
    const ws = workspace();
    type Row = { id: string; tier: string };
    const redis = (JSON.parse(racelings(['list', '--json'], ws, 'on PATH').stdout) as Row[]).filter(
      (r) => r.tier === 'redis',
    );
    expect(redis.map((r) => r.id).sort()).toEqual([
      'fencing-token',
      'lock-ownership',
      'sliding-window',
      'view-counter',
    ]);
    for (const { id } of redis) {
      const result = racelings(['check', id], ws, 'missing');
      expect(result.code, id).toBe(2);
      // The "not graded" verdict: one sentence, wrapped to the terminal, and no stack trace.
      const said = result.stdout.replace(/\s+/g, ' ');
      expect(said).toContain(`not graded ${id}`);
      expect(said).toMatch(/Redis is not available/);
      for (const how of ['apt-get install redis-server', 'brew install redis', 'docker run', 'REDIS_URL=']) {
        expect(said).toContain(how);
      }
      expect(result.stdout + result.stderr).not.toMatch(/\bat .*\.js:\d+/);
    }
  });

  const row = { lesson: 'x', hints: [], file: '/w/x.ts', shownAs: 'x.ts' };
  it('the exercise list of the tutor shows "needs Redis" beside an exercise that lacks it', async () => {
    const app = render(
      <ExerciseList
        exercises={[
          { ...row, id: 'counter', title: 'Counter', tier: 'async', status: 'current', needs: null },
          {
            ...row,
            id: 'sliding-window',
            title: 'Limiter',
            tier: 'redis',
            status: 'pending',
            needs: 'Redis',
          },
        ]}
        notice={null}
        rows={20}
        interactive={false}
        send={() => undefined}
      />,
    );
    await tick();
    const frame = app.lastFrame() ?? '';
    expect(frame).toMatch(/sliding-window .*redis · needs Redis/);
    expect(frame).not.toMatch(/counter .*needs/);
    app.unmount();
  });
});
