import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { expect, it } from 'vitest';
import { tempDir } from './temp.js';

const ROOT = path.resolve(import.meta.dirname, '..');

it('works from the npm tarball alone: init a workspace, then check an exercise in it', () => {
  const dir = tempDir('pack');
  // dist/ was built by `npm test`'s pretest; packing must not need a build step of its own.
  const name = execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', dir], {
    cwd: ROOT,
    encoding: 'utf8',
  })
    .trim()
    .split('\n')
    .at(-1)!;
  const npx = (args: string[], cwd: string) =>
    spawnSync('npx', ['--yes', path.join('..', name), ...args], {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
  const init = spawnSync('npx', ['--yes', `./${name}`, 'init', 'races'], { cwd: dir, encoding: 'utf8' });
  expect(init.status, init.stderr).toBe(0);
  const check = npx(['check', 'counter'], path.join(dir, 'races'));
  expect(check.status, check.stderr).toBe(1);
  expect(check.stdout).toContain('✗ failed counter');
  expect(check.stdout).toContain('an update was lost');
}, 240_000);
