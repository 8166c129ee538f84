import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileOnThread } from '../src/grader/compiling.js';
import { answered, compileRequest, receiveCompiled } from '../src/grader/offered.js';
import type { GradeRequest } from '../src/grader/protocol.js';
import { tempDir } from './temp.js';

const root = path.resolve(import.meta.dirname, '..');
const dir = tempDir('offered');

/** A grade request for a file of `source`, named so that no compile cache has seen it. */
function request(requestId: number, source: string): GradeRequest {
  const file = path.join(dir, `counter-${requestId}-${process.pid}.ts`);
  writeFileSync(file, source);
  return { type: 'grade', requestId, exercise: 'counter', file, shownAs: 'counter.ts', source, ahead: true };
}

const SOURCE = readFileSync(path.join(root, 'solutions/counter/counter.ts'), 'utf8');

describe('the grader process takes the compilation its parent makes', () => {
  it('whichever comes first, the request or the news of it', async () => {
    receiveCompiled({ type: 'compiled', requestId: 1, first: { code: 'early', checked: false } });
    const early = compileRequest(request(1, SOURCE), SOURCE);
    expect(await early.first).toEqual({ code: 'early', checked: false });
    receiveCompiled({ type: 'compiled', requestId: 1, done: { code: 'early', diagnostics: [] } });
    expect(await early.done).toEqual({ code: 'early', diagnostics: [] });

    const late = compileRequest(request(2, SOURCE), SOURCE);
    receiveCompiled({
      type: 'compiled',
      requestId: 2,
      first: { code: null, checked: true },
      done: { code: null, diagnostics: ['counter.ts:1:1 no (TS1)'] },
    });
    expect(await late.first).toEqual({ code: null, checked: true });
    expect((await late.done).diagnostics).toEqual(['counter.ts:1:1 no (TS1)']);
    answered(1);
    answered(2);
  });

  it('compiles the file itself when the parent could not, as it would unasked', async () => {
    const asked = request(3, SOURCE);
    const compilation = compileRequest(asked, SOURCE);
    receiveCompiled({ type: 'compiled', requestId: 3, error: 'the compile thread exited with code 1' });
    const [first, done] = await Promise.all([compilation.first, compilation.done]);
    const own = await compileOnThread(asked.file, SOURCE, asked.shownAs).done;
    expect(done).toEqual(own);
    expect(first.code).toBe(own.code);
    expect(own.code).toContain('__racelings');
    answered(3);
  }, 60_000);
});
