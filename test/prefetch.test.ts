import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { expect, it } from 'vitest';
import { prefetchTypescript, transpileLearnerFile } from '../src/sandbox/compile.js';
import { tempDir } from './temp.js';

const root = path.resolve(import.meta.dirname, '..');

it('TypeScript read ahead of its first use transpiles as TypeScript read when used', async () => {
  const file = path.join(tempDir('prefetch'), 'counter.ts');
  const source =
    'let count = 0;\nexport async function hit(): Promise<number> {\n  count += 1;\n  return count;\n}\n';
  writeFileSync(file, source);
  // This process has not loaded TypeScript yet (each test file gets fresh modules).
  expect(await prefetchTypescript()).toBe(true);
  const ahead = transpileLearnerFile(file, source);
  // Another process loads it without reading ahead.
  const script = `import { transpileLearnerFile } from './dist/sandbox/compile.js';
process.stdout.write(JSON.stringify(transpileLearnerFile(${JSON.stringify(file)}, ${JSON.stringify(source)})));`;
  const { stdout } = await execa(process.execPath, ['--input-type=module', '-e', script], { cwd: root });
  expect(ahead).toContain('__racelings');
  expect(ahead).toBe(JSON.parse(stdout));
}, 60_000);
