import { mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { expect, it } from 'vitest';
import { tempDir } from './temp.js';

const root = path.resolve(import.meta.dirname, '..');

it('TypeScript’s code cache is made on a first transpile, and only the six written last stay', async () => {
  const home = tempDir('code-cache');
  const cache = path.join(home, 'racelings-nodejs');
  mkdirSync(cache, { recursive: true });
  // Eight caches of Node versions gone by, the oldest first, and a file that is no code cache.
  const old = Array.from({ length: 8 }, (_, i) => `typescript-5.9.3-nodev18.0.${i}-x64-abc.transpile.v8`);
  old.forEach((name, i) => {
    writeFileSync(path.join(cache, name), 'stale');
    utimesSync(path.join(cache, name), 1_000_000 + i, 1_000_000 + i);
  });
  writeFileSync(path.join(cache, 'other.json'), '{}');
  const file = path.join(home, 'counter.ts');
  const script = `import { transpileLearnerFile } from './dist/sandbox/compile.js';
process.stdout.write(String(transpileLearnerFile(${JSON.stringify(file)}, 'export const n: number = 1;\\n') !== null));`;
  const { stdout } = await execa(process.execPath, ['--input-type=module', '-e', script], {
    cwd: root,
    env: { XDG_CACHE_HOME: home },
  });
  expect(stdout).toBe('true');
  const left = readdirSync(cache).filter((name) => name.endsWith('.transpile.v8'));
  const made = left.filter((name) => name.includes(`node${process.version}-`));
  expect(made).toHaveLength(1);
  // The new one and the five most recent of the old.
  expect(left.sort()).toEqual([...made, ...old.slice(3)].sort());
  expect(readdirSync(cache)).toContain('other.json');
}, 60_000);
