import { UserError } from '../errors.js';
import { runIsolationLab } from '../labs/isolation-lab.js';
import { getPostgres } from '../postgres/server.js';
import {
  renderIsolationDetails,
  renderIsolationHeader,
  renderIsolationLegend,
  renderIsolationRow,
  renderIsolationTitle,
} from '../report/isolation.js';

export interface LabOptions {
  name: string;
  json: boolean;
  verbose: boolean;
  color: boolean;
}

const LABS = ['isolation'];

/** `racelings lab NAME`: run a lab on a real server and show what it observed, each row as it completes. */
export async function labCommand(opts: LabOptions): Promise<number> {
  if (!LABS.includes(opts.name)) {
    throw new UserError(
      `There is no lab called "${opts.name}".`,
      `Labs: ${LABS.join(', ')} (racelings lab isolation).`,
    );
  }
  const say = (text: string) => {
    if (!opts.json) process.stdout.write(`${text}\n`);
  };
  const server = await getPostgres();
  say(renderIsolationTitle({ ...opts, server }));
  say('');
  say(renderIsolationHeader(opts));
  const results = await runIsolationLab(server, (row) => say(renderIsolationRow(row[0]!.anomaly, row, opts)));
  if (opts.json) {
    const rows = results.map(({ anomaly, level, observed, how }) => ({ anomaly, level, observed, how }));
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return 0;
  }
  say('');
  say(renderIsolationLegend(opts));
  if (opts.verbose) for (const line of renderIsolationDetails(results, opts)) say(line);
  else say('\nRun with --verbose to see each script’s interleaving.');
  return 0;
}
