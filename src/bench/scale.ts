/**
 * The explorer's cost as callers grow, with and without partial-order reduction (and with the
 * symmetry of alike callers on top), on the counter's reference solution: schedules run, distinct
 * interleavings, distinct outcomes (what every caller saw, and in which order), and time.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type CounterWorkload, check } from '../checks/counter.js';
import { explore } from '../explorer/explorer.js';
import { compileLearnerFile } from '../sandbox/compile.js';
import { moduleFactory } from '../sandbox/learner-module.js';

/** How far the search without reduction may go before it is called unfinished. */
const UNREDUCED_LIMIT = 20_000;

/** CPU time (user + system) this process spent since `start` (from `process.cpuUsage()`), in ms. */
export function cpuSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/** How a scale row's search was reduced: not at all, by DPOR, or by DPOR and the symmetry of alike callers. */
export type Reduction = 'none' | 'DPOR' | 'DPOR+symmetry';

export interface ScaleRow {
  workload: string;
  reduction: Reduction;
  schedules: number;
  interleavings: number;
  outcomes: number;
  exhaustive: boolean;
  ms: number;
  /** CPU time of this process over the same span (user + system), ms: the figure that load does not inflate. */
  cpuMs: number;
}

const hits = (...pages: ('home' | 'about')[]): CounterWorkload => ({
  calls: pages.map((page) => ({ op: 'hit', page })),
  initial: {},
  failures: 0,
});

export const SCALE_WORKLOADS: CounterWorkload[] = [
  hits('home', 'home'),
  hits('home', 'home', 'home'),
  hits('home', 'home', 'home', 'home'),
  hits('home', 'about', 'home', 'about'),
];

export async function benchScale(root: string): Promise<ScaleRow[]> {
  const file = path.join(root, 'solutions', 'counter', 'counter.ts');
  const compiled = compileLearnerFile(file, readFileSync(file, 'utf8'), 'counter.ts');
  if (!compiled.code) throw new Error(`the counter solution does not compile: ${compiled.diagnostics[0]}`);
  const instantiate = moduleFactory<Record<string, unknown>>(compiled.code, file);
  const rows: ScaleRow[] = [];
  for (const workload of SCALE_WORKLOADS) {
    for (const reduction of ['DPOR+symmetry', 'DPOR', 'none'] as const) {
      const outcomes = new Set<string>();
      const started = performance.now();
      const cpuStarted = process.cpuUsage();
      const { coverage } = await explore(
        check.scenario(workload),
        instantiate,
        { maxSchedules: UNREDUCED_LIMIT, boundedSchedules: UNREDUCED_LIMIT, random: 0, seed: 1 },
        {
          reduction: reduction !== 'none',
          symmetry: reduction === 'DPOR+symmetry',
          onRun: (run) => {
            if (run.abandoned) return;
            const seen = run.taskLabels.map((_, task) =>
              run.events
                .filter((e) => e.task === task)
                .map((e) => `${e.op}${JSON.stringify(e.args)}${e.result}`)
                .join(';'),
            );
            outcomes.add(seen.join('|'));
          },
        },
      );
      rows.push({
        workload: check.workloads.describe(workload),
        reduction,
        schedules: coverage.schedules,
        interleavings: coverage.interleavings,
        outcomes: outcomes.size,
        exhaustive: coverage.exhaustive,
        ms: performance.now() - started,
        cpuMs: cpuSince(cpuStarted),
      });
    }
  }
  return rows;
}
