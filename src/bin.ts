#!/usr/bin/env node
// Before Ink or chalk loads: chalk ignores NO_COLOR, so turn it into FORCE_COLOR=0.
if (process.env.NO_COLOR || process.argv.includes('--no-color')) process.env.FORCE_COLOR = '0';

// A reader that went away (`racelings list | head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

const { main } = await import('./cli.js');
process.exitCode = await main(process.argv.slice(2));
