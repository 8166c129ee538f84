import { UserError } from '../errors.js';
import { runIsolationLab } from '../labs/isolation-lab.js';
import { getPostgres } from '../postgres/server.js';
import { renderIsolationReport } from '../report/isolation.js';

export interface LabOptions {
  name: string;
  json: boolean;
  verbose: boolean;
  color: boolean;
}

const LABS = ['isolation'];

/** `racelings lab NAME`: run a lab on a real server and show what it observed. */
export async function labCommand(opts: LabOptions): Promise<number> {
  if (!LABS.includes(opts.name)) {
    throw new UserError(
      `There is no lab called "${opts.name}".`,
      `Labs: ${LABS.join(', ')} (racelings lab isolation).`,
    );
  }
  const server = await getPostgres();
  const results = await runIsolationLab(server);
  if (opts.json) {
    const rows = results.map(({ anomaly, level, observed, how }) => ({ anomaly, level, observed, how }));
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
  } else {
    process.stdout.write(`${renderIsolationReport(results, { ...opts, server })}\n`);
  }
  return 0;
}
