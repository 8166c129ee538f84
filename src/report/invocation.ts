/**
 * How the learner ran racelings, so that every command racelings suggests can be typed as printed:
 * `npm start -- hint counter` in a clone, `npx racelings hint counter` under npx, `racelings hint
 * counter` with the bin on PATH (npm link, a global install from the tarball).
 */
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Every subcommand, and the flags a suggestion may start with. */
const WORDS = [
  'init',
  'check',
  'watch',
  'list',
  'hint',
  'solution',
  'reset',
  'learn',
  'quiz',
  'lab',
  'play',
  'doctor',
  '--help',
  '--manual',
  '--workspace',
];

/** This package's bin, beside this module's folder (dist/bin.js, or src/bin.ts under a test runner). */
const OWN_BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'bin.js');

const real = (file: string) => {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
};

/**
 * The words to type before a subcommand, in the way this process was started. A process that is
 * not racelings' own bin (a test runner, a script importing racelings) gets the documented `racelings`.
 */
export function commandPrefix(
  env: NodeJS.ProcessEnv = process.env,
  script: string = process.argv[1] ?? 'racelings',
  cwd: string = process.cwd(),
  bin: string = OWN_BIN,
): string {
  if (real(script) !== real(bin)) return 'racelings';
  // `npm start` runs the clone's own package: npm sets both of these for its scripts.
  if (env.npm_lifecycle_event === 'start' && env.npm_package_name === 'racelings') return 'npm start --';
  if (env.npm_command === 'exec') return 'npx racelings';
  const name = path.basename(script).replace(/\.(cmd|ps1)$/i, '');
  if (name === 'racelings') return 'racelings';
  // `node dist/bin.js` or a path to it: say the same path.
  const relative = path.relative(cwd, script);
  return `node ${relative.startsWith('..') || path.isAbsolute(relative) ? script : relative}`;
}

/** `args` (`'hint counter'`) as a command line to type here. */
export function command(args: string, prefix = commandPrefix()): string {
  return `${prefix} ${args}`;
}

const MENTION = new RegExp(`(?<![\\w./-])racelings(?= (?:${WORDS.join('|')})(?![\\w-]))`, 'g');

/**
 * Text written for someone who types `racelings …` (lessons, statements, hints, messages), with
 * every such command rewritten to run where it is shown.
 */
export function inContext(text: string, prefix = commandPrefix()): string {
  return prefix === 'racelings' ? text : text.replace(MENTION, prefix);
}
