#!/usr/bin/env node
// Before Ink or chalk loads: chalk ignores NO_COLOR, so turn it into FORCE_COLOR=0.
if (process.env.NO_COLOR || process.argv.includes('--no-color')) process.env.FORCE_COLOR = '0';

// Ink draws only a final frame when it believes it runs in CI (CI=true, say). With a terminal both
// ways, a person is at the keyboard, whatever the environment says.
if (process.stdin.isTTY && process.stdout.isTTY) {
  process.env.CI = 'false';
  process.env.CONTINUOUS_INTEGRATION = 'false';
}

// A reader that went away (`racelings list | head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

const { main } = await import('./cli.js');
process.exitCode = await main(process.argv.slice(2));
