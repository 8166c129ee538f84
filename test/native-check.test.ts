import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileLearnerFile, transpileLearnerFile } from '../src/sandbox/compile.js';
import { ALLOWED_IMPORTS, VIRTUAL_IMPORTS } from '../src/sandbox/learner-module.js';
import { nativeTypeErrors } from '../src/sandbox/native-check.js';
import { tempDir } from './temp.js';

const root = path.resolve(import.meta.dirname, '..');
const dir = tempDir('native-check');

/** A file on disk holding `source`, named so that no compile cache has seen it. */
function written(name: string, source: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, source);
  return file;
}

/** What a learner may write wrong, one kind of diagnostic each. */
const WRONG: Record<string, string> = {
  'assign.ts': `export const count: number = 'one';\n`,
  // A chained message: its indented details are joined as the JavaScript compiler flattens them.
  'chained.ts': `export function f(p: Promise<number>) {\n  return p.then((v: string) => v);\n}\n`,
  // Columns count UTF-16 code units, after characters outside ASCII.
  'unicode.ts': `const s = "héllo😀"; export const n: number = s;\n`,
  'syntax.ts': `export const x = ;\nfunction (\n`,
  // One file is loaded: a sibling import fails to resolve, as it fails at run time.
  'sibling.ts': `import { y } from './assign';\nexport const z = y;\n`,
  // Node's globals are not all there: only those learner-globals declares.
  'globals.ts': `export const b = Buffer.from('a');\nexport const r = require('fs');\n`,
  'private.ts': `class K { constructor(private n: number) {} }\nexport const n = new K(1).n;\n`,
  'strict.ts': `export function f(x) { let u: number = undefined; return x + u; }\n`,
  'unused-await.ts': `export async function f(m: Map<string, number>) { return m.get(1); }\n`,
};

/** What must compile: the globals learners may use, and each built-in module they may import. */
const RIGHT = `import { AsyncLocalStorage } from 'node:async_hooks';
import assert from 'node:assert';
import { createHash, randomBytes, randomInt, randomUUID } from 'node:crypto';
import EventEmitter, { once } from 'node:events';
import { EventEmitter as Emitter } from 'events';
import { inspect, isDeepStrictEqual } from 'node:util';
import * as util from 'util';
export const store = new AsyncLocalStorage<number>();
export class Bus extends EventEmitter {}
export async function uses(): Promise<string> {
  const bus = new Emitter();
  const fired = once(bus, 'go');
  bus.emit('go', 1);
  const [value] = await fired;
  assert.strictEqual(value, 1);
  assert(isDeepStrictEqual([1], [1]), 'equal');
  const id: string = randomUUID() + randomInt(10) + randomInt(1, 6) + randomBytes(4).toString('hex');
  return id + createHash('sha256').update('a').digest('hex') + inspect({ a: 1 }) + util.format('%d', 1);
}
export async function tick(): Promise<number> {
  await new Promise<void>((resolve) => process.nextTick(resolve));
  await new Promise((resolve) => setTimeout(resolve, 10));
  const started = performance.now() + Date.now() + Math.random();
  console.log(structuredClone({ started }), crypto.randomUUID());
  return [1, 2, 3].findLast((n) => n > 1) ?? 0;
}
`;

describe('the native type check', () => {
  it('gives the JavaScript compiler’s diagnostics, word for word, for each kind of mistake', async () => {
    for (const [name, source] of Object.entries(WRONG)) {
      const file = written(name, source);
      const expected = compileLearnerFile(file, source, `shown/${name}`).diagnostics;
      expect(expected.length, name).toBeGreaterThan(0);
      expect(await nativeTypeErrors(file, source, `shown/${name}`), name).toEqual(expected);
    }
  });

  it('finds no error where the JavaScript compiler finds none: the globals, an ambient module', async () => {
    const file = written('right.ts', RIGHT);
    expect(compileLearnerFile(file, RIGHT, 'right.ts').diagnostics).toEqual([]);
    expect(await nativeTypeErrors(file, RIGHT, 'right.ts')).toEqual([]);
  });

  // The whole class, not the modules named today: whatever the sandbox lets a file import, it must
  // be able to import without a type error.
  it('knows every module the sandbox lets an exercise import', async () => {
    for (const id of [...ALLOWED_IMPORTS, ...VIRTUAL_IMPORTS]) {
      const source = `import * as imported from '${id}';\nexport const used = imported;\n`;
      const file = written(`import-${id.replace(':', '-')}.ts`, source);
      expect(compileLearnerFile(file, source, 'x.ts').diagnostics, id).toEqual([]);
      expect(await nativeTypeErrors(file, source, 'x.ts'), id).toEqual([]);
    }
  });

  it('agrees on every exercise and solution shipped', async () => {
    for (const folder of ['exercises', 'solutions']) {
      for (const id of readdirSync(path.join(root, folder))) {
        for (const name of readdirSync(path.join(root, folder, id)).filter((n) => n.endsWith('.ts'))) {
          const file = path.join(root, folder, id, name);
          const source = readFileSync(file, 'utf8');
          expect(await nativeTypeErrors(file, source, name), `${folder}/${id}/${name}`).toEqual(
            compileLearnerFile(file, source, name).diagnostics,
          );
        }
      }
    }
  });

  it('does not answer for content the file on disk no longer holds', async () => {
    const file = written('moved-on.ts', WRONG['assign.ts']!);
    expect(await nativeTypeErrors(file, 'export const fine = 1;\n', 'moved-on.ts')).toBeNull();
  });

  it('does not answer when it is turned off (RACELINGS_NATIVE_TSC=0): the JavaScript compiler checks', async () => {
    const file = written('off.ts', WRONG['assign.ts']!);
    process.env.RACELINGS_NATIVE_TSC = '0';
    try {
      expect(await nativeTypeErrors(file, WRONG['assign.ts']!, 'off.ts')).toBeNull();
    } finally {
      delete process.env.RACELINGS_NATIVE_TSC;
    }
  });
});

describe('the transpiled file explored during the type check', () => {
  // The grader explores it and, when the type check passes, keeps it as the compilation.
  it('is the type-checked compilation’s code, for every exercise and solution shipped', () => {
    for (const folder of ['exercises', 'solutions']) {
      for (const id of readdirSync(path.join(root, folder))) {
        for (const name of readdirSync(path.join(root, folder, id)).filter((n) => n.endsWith('.ts'))) {
          const file = path.join(root, folder, id, name);
          const source = `${readFileSync(file, 'utf8')}\n// ${process.pid} ${Math.random()}\n`;
          const compiled = compileLearnerFile(file, source, name);
          if (compiled.code === null) continue;
          expect(transpileLearnerFile(file, source), `${folder}/${id}/${name}`).toBe(compiled.code);
        }
      }
    }
  });
});
