import { describe, expect, it } from 'vitest';
import { runSchedule } from '../src/explorer/run.js';
import type { Scenario } from '../src/explorer/scenario.js';
import { learner } from './learner.js';

type Module = { run(port: Port): Promise<unknown> };
interface Port {
  next(): Promise<number>;
}

/** Runs one task of `mod.run` with a port whose every answer is 10, and returns the run. */
async function once(source: string) {
  const instantiate = learner<Module>(source);
  let value: unknown;
  const scenario: Scenario<Module> = {
    name: 'one call',
    setup(world, mod) {
      const port: Port = { next: () => world.op('next', [], () => 10) };
      return {
        tasks: [{ label: 't1 run', run: async () => (value = await mod.run(port)) }],
        check: () => null,
      };
    },
  };
  const run = await runSchedule(scenario, instantiate, (_step, _available, fallback) => fallback);
  return { run, value };
}

describe('access instrumentation', () => {
  it('keeps what the code computes: compound assignments read before the await on their right', async () => {
    const { value } = await once(`
      export async function run(port: { next(): Promise<number> }) {
        const o = { n: 1, list: [1, 2] as number[] };
        const m = new Map<string, number>([['a', 1]]);
        let x = 5;
        o.n += await port.next();
        o['n'] *= 2;
        o.n++;
        ++o.n;
        x -= await port.next();
        m.set('a', (m.get('a') ?? 0) + 1);
        o.list.push(...o.list);
        const { n } = o;
        delete (o as { n?: number }).n;
        return [n, 'n' in o, x, m.get('a'), o.list.length, [...m.keys()]];
      }
    `);
    expect(value).toEqual([24, false, -5, 2, 4, ['a']]);
  });

  it('keeps private fields, optional chains and this in methods working', async () => {
    const { value } = await once(`
      class Box {
        #count = 0;
        items?: number[];
        add(k: number) {
          this.#count += k;
          this.#count++;
          return this;
        }
        get total() {
          return this.#count + (this.items?.length ?? 0);
        }
      }
      export async function run(port: { next(): Promise<number> }) {
        const box = new Box().add(await port.next());
        box.items = [1];
        return [box.total, box.items?.[0], box.items?.at(-1)];
      }
    `);
    expect(value).toEqual([12, 1, 1]);
  });

  it('records what each step read and wrote, keyed per Map entry and per shared variable', async () => {
    const { run } = await once(`
      let shared = 0;
      const byKey = new Map<string, number>();
      export async function run(port: { next(): Promise<number> }) {
        byKey.set('a', 1);
        shared = shared + (await port.next());
        return byKey.get('b');
      }
    `);
    const [arrival, release] = run.footprints.map((f) => f.describe());
    expect(arrival).toEqual(expect.arrayContaining([expect.stringMatching(/^o\d+\.string:a!$/), 'v0.0']));
    expect(arrival!.some((loc) => loc.includes('string:b'))).toBe(false);
    expect(release).toEqual(expect.arrayContaining(['v0.0!', expect.stringMatching(/^o\d+\.string:b$/)]));
  });
});
