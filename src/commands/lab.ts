import { UserError } from '../errors.js';
import { runIsolationLab } from '../labs/isolation-lab.js';
import { type LocksLabResult, runLocksLab, VARIANTS } from '../labs/locks-lab.js';
import { getPostgres } from '../postgres/server.js';
import { getRedis } from '../redis/server.js';
import {
  renderIsolationDetails,
  renderIsolationHeader,
  renderIsolationLegend,
  renderIsolationRow,
  renderIsolationTitle,
} from '../report/isolation.js';
import { renderLocksHeader, renderLocksLegend, renderLocksRow, renderLocksSteps } from '../report/locks.js';

export interface LabOptions {
  name: string;
  json: boolean;
  verbose: boolean;
  color: boolean;
}

const LABS = ['isolation', 'locks'];

const write = (text: string) => process.stdout.write(`${text}\n`);

/** The isolation anomalies on the embedded PostgreSQL, each row printed as it completes. */
async function isolationLab(opts: LabOptions): Promise<number> {
  const say = (text: string) => {
    if (!opts.json) write(text);
  };
  const server = await getPostgres();
  say(renderIsolationTitle({ ...opts, server }));
  say('');
  say(renderIsolationHeader(opts));
  const results = await runIsolationLab(server, (row) => say(renderIsolationRow(row[0]!.anomaly, row, opts)));
  if (opts.json) {
    const rows = results.map(({ anomaly, level, observed, how }) => ({ anomaly, level, observed, how }));
    write(JSON.stringify(rows, null, 2));
    return 0;
  }
  say('');
  say(renderIsolationLegend(opts));
  if (opts.verbose) for (const line of renderIsolationDetails(results, opts)) say(line);
  else say('\nRun with --verbose to see each script’s interleaving.');
  return 0;
}

/** The lock gotchas on a real Redis: each row printed as soon as both of its runs have ended. */
async function locksLab(labOptions: LabOptions): Promise<number> {
  const opts = { ...labOptions, width: Math.min(process.stdout.columns || 100, 120) };
  const server = await getRedis();
  if (!opts.json) write(renderLocksHeader(server, opts));
  const seen: LocksLabResult[] = [];
  const results = await runLocksLab(server, (result) => {
    seen.push(result);
    const done = seen.filter((r) => r.gotcha === result.gotcha).length === VARIANTS.length;
    if (!opts.json && done) write(renderLocksRow(seen, result.gotcha, opts));
  });
  if (opts.json) {
    write(JSON.stringify(results, null, 2));
    return 0;
  }
  write(`\n${renderLocksLegend(opts)}`);
  if (opts.verbose) for (const result of results) write(`\n${renderLocksSteps(result, opts)}`);
  else write('\nRun with --verbose to see each run’s commands and replies.');
  return 0;
}

/** `racelings lab NAME`: run a lab on a real server and show what it observed, each row as it completes. */
export async function labCommand(opts: LabOptions): Promise<number> {
  if (opts.name === 'isolation') return isolationLab(opts);
  if (opts.name === 'locks') return locksLab(opts);
  throw new UserError(
    `There is no lab called "${opts.name}".`,
    `Labs: ${LABS.join(', ')} (racelings lab isolation, racelings lab locks).`,
  );
}
