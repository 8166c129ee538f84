/** What every command shares: the global flags, and opening the workplace with its notices said once. */
import { colourWanted } from '../report/paint.js';
import { terminalWidth } from '../report/plain.js';
import { openWorkplace, type Workplace } from '../session/open.js';

/** What every command gets from the global flags. */
export interface GlobalOptions {
  workspace?: string;
  color: boolean;
  json?: boolean;
}

export interface Context extends Workplace {
  color: boolean;
  width: number;
  /** A line for a person: stdout, or stderr under --json (stdout carries JSON only). */
  say(line?: string): void;
}

/** Open the course, the workspace and the progress; notices go to stderr, once. */
export async function openContext(options: GlobalOptions): Promise<Context> {
  const place = await openWorkplace(options.workspace);
  for (const notice of place.notices) process.stderr.write(`racelings: ${notice}\n`);
  const say = (line = '') => (options.json ? process.stderr : process.stdout).write(`${line}\n`);
  return { ...place, color: colourWanted(options.color), width: terminalWidth(), say };
}
