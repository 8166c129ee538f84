import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, it } from 'vitest';

// dist/ was built by `npm test`'s pretest, bundling step included (rolldown.config.mjs).
const bundle = path.resolve(import.meta.dirname, '../dist/processes/execa.js');

it('the built execa is one module: it imports nothing but Node’s own', () => {
  const specifiers = [
    ...readFileSync(bundle, 'utf8').matchAll(/^\s*(?:import|export)\b[^;]*?from\s*["']([^"']+)["']/gm),
  ].map((match) => match[1]);
  expect(specifiers.length).toBeGreaterThan(0);
  expect(specifiers.filter((specifier) => !specifier!.startsWith('node:'))).toEqual([]);
  expect(readFileSync(bundle, 'utf8')).not.toMatch(/\bimport\(\s*["'](?!node:)/);
});

it('the built execa runs a process, with IPC, as execa does', async () => {
  const { execa } = (await import(pathToFileURL(bundle).href)) as typeof import('execa');
  const child = execa(process.execPath, ['-e', 'process.send("ready"); process.stdout.write("out")'], {
    ipc: true,
    serialization: 'json',
  });
  const message = await child.getOneMessage();
  const result = await child;
  expect(message).toBe('ready');
  expect(result.stdout).toBe('out');
  expect(result.exitCode).toBe(0);
}, 30_000);
