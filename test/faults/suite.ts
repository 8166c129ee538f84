/** Running a fault case and reporting outcomes: shared by `npm run faults` and the subset in `npm test`. */
import type { FaultCase, Harness } from './harness.js';

export interface Outcome {
  fault: FaultCase;
  ok: boolean;
  observed: string;
  ms: number;
}

/** Run one case and require that it left nothing; whatever it left is killed for the next one. */
export async function runCase(h: Harness, fault: FaultCase): Promise<Outcome> {
  const started = Date.now();
  let ok: boolean;
  let observed: string;
  try {
    ({ ok, observed } = await fault.run(h));
  } catch (error) {
    ok = false;
    observed = `the case failed: ${error instanceof Error ? error.message : String(error)}`;
  }
  const left = await h.leftover(15_000);
  h.killLeftovers();
  if (left) {
    ok = false;
    observed = `${observed}; ${left}`;
  }
  return { fault, ok, observed, ms: Date.now() - started };
}

export function table(outcomes: Outcome[]): string {
  const rows = outcomes.map((o) => [
    o.ok ? '✓' : '✗',
    o.fault.id,
    o.fault.fault,
    o.fault.expected,
    `${o.observed} (${(o.ms / 1000).toFixed(1)} s)`,
  ]);
  const head = ['', 'case', 'fault', 'expected', 'observed'];
  return [head, head.map(() => '---'), ...rows].map((row) => `| ${row.join(' | ')} |`).join('\n');
}
