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

describe('instrumented code computes what the plain code computes', () => {
  /** Many forms at once; the expected value was worked out by hand from JavaScript's semantics. */
  it('across the syntax learners write', async () => {
    const { value } = await once(`
      enum Color { Red, Green }
      export let exportedCounter = 0;
      abstract class Base {
        protected log: string[] = [];
        constructor(protected readonly name: string) {}
        greet() { this.log.push('base:' + this.name); return this; }
        static count = 0;
        static { Base.count = 1; }
      }
      class Child extends Base {
        #secret = 2;
        override greet() { super.greet(); this.log.push('child'); return this; }
        get secret() { return this.#secret; }
        set secret(v: number) { this.#secret = v; }
        *pairs() { yield* [1, 2]; }
        has(other: Child) { return #secret in other; }
      }
      export async function run(port: { next(): Promise<number> }) {
        const c = new Child('c').greet();
        c.secret += await port.next();
        c.secret ??= 5;
        const gen = [...c.pairs()];
        const m = new Map([['a', 1], ['b', 2]]);
        let sum = 0;
        for (const [k, v] of m) sum += k === 'a' ? v : v * 10;
        for (const k in { x: 1, y: 2 }) sum += k.length;
        const arr = [3, 1, 2];
        arr.sort((a, b) => a - b);
        const [first, ...rest] = arr;
        let swapA = 1, swapB = 2;
        [swapA, swapB] = [swapB, swapA];
        const obj: Record<string, number> = { a: 1 };
        obj.b = (obj.a ?? 0) + 1;
        obj['c'] ||= 3;
        const tag = (s: TemplateStringsArray, ...v: unknown[]) => s.join('|') + v.join(',');
        const tagged = tag\`x\${1}y\${2}\`;
        exportedCounter++;
        label: for (let i = 0; i < 3; i++) { if (i === 1) break label; }
        const weak = new WeakMap<object, number>();
        weak.set(c, 1);
        const set = new Set([1]);
        set.add(2);
        const json = JSON.parse(JSON.stringify({ n: [1, 2] }));
        const fn = function (this: unknown, ...args: number[]) { return args.length + arguments.length; };
        const optional = (c as { missing?: { deep?: number } }).missing?.deep ?? 'none';
        return [
          Color.Green, (c as unknown as { log: string[] }).log, c.secret, gen, sum, first, rest, swapA, swapB,
          obj, tagged, exportedCounter, weak.get(c), set.size, json.n.length, fn(1, 2), c.has(c),
          optional, Base.count, typeof Child, delete obj.a, 'a' in obj,
        ];
      }
    `);
    expect(value).toEqual([
      1,
      ['base:c', 'child'],
      12,
      [1, 2],
      23,
      1,
      [2, 3],
      2,
      1,
      // The same object, after `delete obj.a` further along this array.
      { b: 2, c: 3 },
      'x|y|1,2',
      1,
      1,
      2,
      2,
      4,
      true,
      'none',
      1,
      'function',
      true,
      false,
    ]);
  });
});
