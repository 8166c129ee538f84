/**
 * `npm run faults`: every fault case in turn, then a table (fault → expected → observed). A case
 * passes when it observed what it expected and left nothing behind. Exits 1 on any mismatch.
 * `--quick` runs the subset `npm test` runs; `--only TEXT` the cases whose id contains TEXT.
 */
import { CASES } from './cases.js';
import { type FaultCase, Harness } from './harness.js';
import { type Outcome, runCase, table } from './suite.js';

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
  const chosen = CASES.filter(
    (c) => (!args.includes('--quick') || c.quick) && (!only || c.id.includes(only)),
  );
  const h = new Harness();
  const outcomes: Outcome[] = [];
  try {
    for (const fault of chosen) {
      const outcome = await runCase(h, fault);
      outcomes.push(outcome);
      process.stderr.write(`${outcome.ok ? '✓' : '✗'} ${fault.id} (${(outcome.ms / 1000).toFixed(1)} s)\n`);
    }
  } finally {
    const databases = await h.close();
    if (databases) outcomes.push({ fault: suiteEnd, ok: false, observed: databases, ms: 0 });
  }
  const failed = outcomes.filter((o) => !o.ok).length;
  process.stdout.write(
    `${table(outcomes)}\n\nfaults: ${outcomes.length - failed} passed, ${failed} failed\n`,
  );
  return failed === 0 ? 0 : 1;
}

/** The row for what the suite itself finds at its end. */
const suiteEnd: FaultCase = {
  id: 'suite-end',
  fault: 'the whole suite',
  expected: 'no racelings database left on the DATABASE_URL server',
  run: async () => ({ ok: true, observed: '' }),
};

process.exitCode = await main();
